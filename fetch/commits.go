package fetch

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Repo is a repository a run checked out, as Prow recorded it.
type Repo struct {
	// Name is "org/repo" as Prow names it (prowjob.json's org and repo, or
	// started.json's key, which old jobs wrote as a Go path such as
	// k8s.io/kubernetes).
	Name string

	// Link is the repository's web page ("https://github.com/org/repo"):
	// prowjob.json's repo_link, else github.com for an org/repo name
	// (Prow's default host); "" when unknown.
	Link string

	// BaseRef is the branch tested, and BaseSHA its commit: the refs'
	// base_sha, else started.json's, else, for the job's primary
	// repository when no pull request is merged, started.json's
	// repo-commit (periodic jobs record only the branch in their refs and
	// the commit they checked out there). "" when unknown.
	BaseRef, BaseSHA string

	// Pulls are the pull requests merged on top of the base (presubmits;
	// several for a batch), in Prow's order.
	Pulls []Pull
}

// Pull is a pull request a run merged, at the commit tested.
type Pull struct {
	Number int
	SHA    string
}

// Repos lists the repositories the build checked out: prowjob.json's refs
// (the primary repository first), then its extra_refs, then any that only
// started.json names (its repos map, "branch:sha,pr:sha"), sorted by name.
// Each field comes from prowjob.json when it has it, else from
// started.json. Nil when the build has neither file.
func (b Build) Repos() []Repo {
	var repos []Repo
	at := map[string]int{} // name → index in repos
	add := func(r Repo) *Repo {
		if i, ok := at[r.Name]; ok {
			return &repos[i]
		}
		at[r.Name] = len(repos)
		repos = append(repos, r)
		return &repos[len(repos)-1]
	}
	if pj := b.prowJob; pj != nil {
		refs := pj.Spec.ExtraRefs
		if pj.Spec.Refs != nil {
			refs = append([]prowRefs{*pj.Spec.Refs}, refs...)
		}
		for _, r := range refs {
			if r.Org == "" && r.Repo == "" {
				continue
			}
			name := r.Org + "/" + r.Repo
			repo := Repo{Name: name, Link: r.RepoLink, BaseRef: r.BaseRef, BaseSHA: r.BaseSHA}
			for _, p := range r.Pulls {
				repo.Pulls = append(repo.Pulls, Pull{Number: p.Number, SHA: p.SHA})
			}
			add(repo)
		}
	}
	if s := b.Started; s != nil {
		names := make([]string, 0, len(s.Repos))
		for name := range s.Repos {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			from := parseRepoRefs(name, s.Repos[name])
			r := add(Repo{Name: name})
			if r.BaseRef == "" {
				r.BaseRef = from.BaseRef
			}
			if r.BaseSHA == "" {
				r.BaseSHA = from.BaseSHA
			}
			if len(r.Pulls) == 0 {
				r.Pulls = from.Pulls
			}
		}
		if p := b.primaryRepo(repos); p >= 0 && s.RepoCommit != "" && repos[p].BaseSHA == "" && len(repos[p].Pulls) == 0 {
			repos[p].BaseSHA = s.RepoCommit
		}
	}
	for i := range repos {
		if repos[i].Link == "" {
			repos[i].Link = defaultLink(repos[i].Name)
		}
	}
	return repos
}

// primaryRepo is the index of the repository that started.json's
// repo-commit is the commit of: the refs' repository, else the first
// extra_refs one, else the repository started.json's metadata names, else
// the only one; -1 when it cannot be told.
func (b Build) primaryRepo(repos []Repo) int {
	if len(repos) == 0 {
		return -1
	}
	if pj := b.prowJob; pj != nil && (pj.Spec.Refs != nil || len(pj.Spec.ExtraRefs) > 0) {
		return 0
	}
	if b.Started != nil {
		if name, ok := b.Started.Metadata["repo"].(string); ok {
			for i, r := range repos {
				if r.Name == name {
					return i
				}
			}
		}
	}
	if len(repos) == 1 {
		return 0
	}
	return -1
}

// parseRepoRefs reads a value of started.json's repos map,
// "master:abc123,4567:def456": the branch and its commit, then pull
// requests and theirs. A part that does not parse is left out.
func parseRepoRefs(name, v string) Repo {
	r := Repo{Name: name}
	for i, part := range strings.Split(v, ",") {
		ref, sha, _ := strings.Cut(strings.TrimSpace(part), ":")
		if i == 0 {
			r.BaseRef, r.BaseSHA = ref, sha
			continue
		}
		if n, err := strconv.Atoi(ref); err == nil && n > 0 {
			r.Pulls = append(r.Pulls, Pull{Number: n, SHA: sha})
		}
	}
	return r
}

// defaultLink is GitHub's page of an org/repo name: Prow's default host.
// Names of other forms (a Gerrit host as the org, a Go path) get none.
func defaultLink(name string) string {
	org, repo, ok := strings.Cut(name, "/")
	if !ok || org == "" || repo == "" || strings.ContainsAny(org, ".:") || strings.Contains(repo, "/") {
		return ""
	}
	return "https://github.com/" + name
}

// Change is what changed in one repository between a passing and a
// failing run: each run's refs, and links to the changes on GitHub.
type Change struct {
	Repo string // "org/repo"

	// Passing and Failing are the repository as each run had it; a zero
	// Repo (no Name) when that run did not check it out.
	Passing, Failing Repo

	// CompareURL shows the commits between the two runs' bases,
	// https://github.com/ORG/REPO/compare/PASS...FAIL; "" when the
	// repository is not on GitHub, a base commit is unknown, or both runs
	// tested the same one.
	CompareURL string

	// Pulls are the failing run's pull requests that the passing run did
	// not test at the same commit (a presubmit's change).
	Pulls []PullChange
}

// PullChange is a pull request the failing run tested.
type PullChange struct {
	Pull

	// URL is the pull request's page; CompareURL shows its commits: over
	// the failing run's base, or, when the passing run tested an older
	// commit of the same pull request, since that commit. Both "" when the
	// repository is not on GitHub.
	URL, CompareURL string
}

// Commits pairs the repositories of a passing and a failing run, in the
// failing run's order, then those only the passing run checked out: per
// repository the commit each tested, and links to what changed.
func Commits(passing, failing Build) []Change {
	pass := passing.Repos()
	byName := map[string]Repo{}
	for _, r := range pass {
		byName[r.Name] = r
	}
	var out []Change
	seen := map[string]bool{}
	for _, f := range failing.Repos() {
		seen[f.Name] = true
		out = append(out, change(byName[f.Name], f))
	}
	for _, p := range pass {
		if !seen[p.Name] {
			out = append(out, change(p, Repo{}))
		}
	}
	return out
}

func change(p, f Repo) Change {
	c := Change{Repo: f.Name, Passing: p, Failing: f}
	if c.Repo == "" {
		c.Repo = p.Name
	}
	gh := githubBase(f.Link)
	if gh == "" {
		gh = githubBase(p.Link)
	}
	if gh != "" && p.BaseSHA != "" && f.BaseSHA != "" && p.BaseSHA != f.BaseSHA {
		c.CompareURL = gh + "/compare/" + p.BaseSHA + "..." + f.BaseSHA
	}
	for _, pr := range f.Pulls {
		var before string // the same pull request's commit in the passing run
		for _, q := range p.Pulls {
			if q.Number == pr.Number {
				before = q.SHA
			}
		}
		if before != "" && before == pr.SHA {
			continue // tested by the passing run too
		}
		pc := PullChange{Pull: pr}
		if gh != "" && pr.Number > 0 {
			pc.URL = gh + "/pull/" + strconv.Itoa(pr.Number)
			from := f.BaseSHA
			if before != "" {
				from = before
			}
			if from != "" && pr.SHA != "" {
				pc.CompareURL = gh + "/compare/" + from + "..." + pr.SHA
			}
		}
		c.Pulls = append(c.Pulls, pc)
	}
	return c
}

// githubBase is https://github.com/ORG/REPO for a link to a repository on
// GitHub, "" for any other.
func githubBase(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || !strings.EqualFold(u.Host, "github.com") {
		return ""
	}
	parts := strings.Split(strings.Trim(strings.TrimSuffix(u.Path, ".git"), "/"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	return "https://github.com/" + parts[0] + "/" + parts[1]
}
