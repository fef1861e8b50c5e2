package fetch

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
)

// build parses metadata as Prow writes it; "" leaves a file out.
func build(t *testing.T, started, prowjob string) Build {
	t.Helper()
	var b Build
	var err error
	if started != "" {
		if b.Started, err = parseStarted([]byte(started)); err != nil {
			t.Fatal(err)
		}
	}
	if prowjob != "" {
		if b.prowJob, err = parseProwJob([]byte(prowjob)); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func TestRepos(t *testing.T) {
	const k8s = "https://github.com/kubernetes/kubernetes"
	tests := []struct {
		name             string
		started, prowjob string
		want             []Repo
	}{
		{
			name:    "periodic: the branch in the refs, the commit checked out in started.json",
			started: `{"repos": {"kubernetes/kubernetes": "master"}, "repo-commit": "533045c"}`,
			prowjob: `{"spec": {"extra_refs": [{"org": "kubernetes", "repo": "kubernetes", "base_ref": "master"}]}}`,
			want:    []Repo{{Name: "kubernetes/kubernetes", Link: k8s, BaseRef: "master", BaseSHA: "533045c"}},
		},
		{
			name:    "presubmit: prowjob.json's refs first, started.json agrees",
			started: `{"repos": {"kubernetes/kubernetes": "master:34152bb,129982:c352236"}, "repo-commit": "c352236"}`,
			prowjob: `{"spec": {"refs": {"org": "kubernetes", "repo": "kubernetes", "repo_link": "https://github.com/kubernetes/kubernetes",
				"base_ref": "master", "base_sha": "34152bb", "pulls": [{"number": 129982, "sha": "c352236", "author": "someone"}]}}}`,
			want: []Repo{{Name: "kubernetes/kubernetes", Link: k8s, BaseRef: "master", BaseSHA: "34152bb", Pulls: []Pull{{129982, "c352236"}}}},
		},
		{
			name:    "refs, then extra_refs, then what only started.json names",
			started: `{"repos": {"kubernetes/test-infra": "master:aaa", "kubernetes/kubernetes": "master:bbb", "containerd/containerd": "main:ccc"}}`,
			prowjob: `{"spec": {"refs": {"org": "kubernetes", "repo": "test-infra", "base_ref": "master"},
				"extra_refs": [{"org": "kubernetes", "repo": "kubernetes", "base_ref": "master", "base_sha": "ddd"}]}}`,
			want: []Repo{
				{Name: "kubernetes/test-infra", Link: "https://github.com/kubernetes/test-infra", BaseRef: "master", BaseSHA: "aaa"},
				{Name: "kubernetes/kubernetes", Link: k8s, BaseRef: "master", BaseSHA: "ddd"},
				{Name: "containerd/containerd", Link: "https://github.com/containerd/containerd", BaseRef: "main", BaseSHA: "ccc"},
			},
		},
		{
			name:    "started.json alone, an old Go-path key: no link guessed",
			started: `{"repos": {"k8s.io/kubernetes": "master:abc,123:def,456:"}, "repo-commit": "zzz", "metadata": {"repo": "k8s.io/kubernetes"}}`,
			want:    []Repo{{Name: "k8s.io/kubernetes", BaseRef: "master", BaseSHA: "abc", Pulls: []Pull{{123, "def"}, {456, ""}}}},
		},
		{
			name:    "started.json alone, the primary named by its metadata",
			started: `{"repos": {"org/a": "main", "org/b": "main"}, "repo-commit": "fff", "metadata": {"repo": "org/b"}}`,
			want: []Repo{
				{Name: "org/a", Link: "https://github.com/org/a", BaseRef: "main"},
				{Name: "org/b", Link: "https://github.com/org/b", BaseRef: "main", BaseSHA: "fff"},
			},
		},
		{
			name:    "a Gerrit host as the org: no GitHub link",
			prowjob: `{"spec": {"refs": {"org": "https://gerrit.example.com", "repo": "proj", "base_ref": "main", "base_sha": "abc"}}}`,
			want:    []Repo{{Name: "https://gerrit.example.com/proj", BaseRef: "main", BaseSHA: "abc"}},
		},
		{name: "no metadata", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := build(t, tt.started, tt.prowjob).Repos()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Repos() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestCommits(t *testing.T) {
	refs := func(base string, pulls string) string {
		return `{"spec": {"refs": {"org": "kubernetes", "repo": "kubernetes", "base_ref": "master", "base_sha": "` + base + `", "pulls": [` + pulls + `]}}}`
	}
	const gh = "https://github.com/kubernetes/kubernetes"
	tests := []struct {
		name          string
		pass, fail    Build
		compare       string
		pulls         []PullChange
		passingCommit string
	}{
		{
			name:    "periodic",
			pass:    build(t, `{"repos": {"kubernetes/kubernetes": "master"}, "repo-commit": "aaa"}`, ""),
			fail:    build(t, `{"repos": {"kubernetes/kubernetes": "master"}, "repo-commit": "bbb"}`, ""),
			compare: gh + "/compare/aaa...bbb", passingCommit: "aaa",
		},
		{
			name: "same commit",
			pass: build(t, `{"repos": {"kubernetes/kubernetes": "master:aaa"}}`, ""),
			fail: build(t, `{"repos": {"kubernetes/kubernetes": "master:aaa"}}`, ""), passingCommit: "aaa",
		},
		{
			name: "presubmit after another pull request",
			pass: build(t, "", refs("b1", `{"number": 4, "sha": "p4"}`)),
			fail: build(t, "", refs("b2", `{"number": 5, "sha": "p5"}`)),
			// The base moved, and the failing run merged pull request 5 on it.
			compare: gh + "/compare/b1...b2",
			pulls:   []PullChange{{Pull{5, "p5"}, gh + "/pull/5", gh + "/compare/b2...p5"}}, passingCommit: "b1",
		},
		{
			name:  "the same pull request pushed again",
			pass:  build(t, "", refs("b1", `{"number": 5, "sha": "old"}`)),
			fail:  build(t, "", refs("b1", `{"number": 5, "sha": "new"}`)),
			pulls: []PullChange{{Pull{5, "new"}, gh + "/pull/5", gh + "/compare/old...new"}}, passingCommit: "b1",
		},
		{
			name: "the same pull request at the same commit, retested",
			pass: build(t, "", refs("b1", `{"number": 5, "sha": "p5"}`)),
			fail: build(t, "", refs("b1", `{"number": 5, "sha": "p5"}`)), passingCommit: "b1",
		},
		{
			name:  "not on GitHub",
			pass:  build(t, "", `{"spec": {"refs": {"org": "https://gerrit.example.com", "repo": "proj", "base_sha": "a", "pulls": [{"number": 1, "sha": "x"}]}}}`),
			fail:  build(t, "", `{"spec": {"refs": {"org": "https://gerrit.example.com", "repo": "proj", "base_sha": "b", "pulls": [{"number": 2, "sha": "y"}]}}}`),
			pulls: []PullChange{{Pull: Pull{2, "y"}}}, passingCommit: "a",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Commits(tt.pass, tt.fail)
			if len(got) != 1 {
				t.Fatalf("Commits = %+v, want one repository", got)
			}
			c := got[0]
			if c.CompareURL != tt.compare || !reflect.DeepEqual(c.Pulls, tt.pulls) || c.Passing.BaseSHA != tt.passingCommit {
				t.Errorf("Commits = %+v\nwant compare %q, pulls %+v, passing commit %s", c, tt.compare, tt.pulls, tt.passingCommit)
			}
		})
	}
	t.Run("a repository one run lacks", func(t *testing.T) {
		pass := build(t, `{"repos": {"org/a": "main:1", "org/gone": "main:2"}}`, "")
		fail := build(t, `{"repos": {"org/a": "main:3", "org/new": "main:4"}}`, "")
		got := Commits(pass, fail)
		var names []string
		for _, c := range got {
			names = append(names, c.Repo+" "+c.Passing.BaseSHA+"→"+c.Failing.BaseSHA)
		}
		want := []string{"org/a 1→3", "org/new →4", "org/gone 2→"}
		if !reflect.DeepEqual(names, want) {
			t.Errorf("Commits = %q, want %q", names, want)
		}
		if got[1].CompareURL != "" || got[2].CompareURL != "" {
			t.Errorf("a compare link with one side missing: %q %q", got[1].CompareURL, got[2].CompareURL)
		}
	})
}

// TestCommitsBundledBucket reads the refs of the sample bucket's runs.
func TestCommitsBundledBucket(t *testing.T) {
	store, err := OpenDir(filepath.Join("..", "testdata", "bucket"))
	if err != nil {
		t.Fatal("the sample bucket, committed in testdata/bucket:", err)
	}
	ctx := context.Background()
	resolve := func(p string) Build {
		t.Helper()
		b, err := (&Fetcher{Store: store}).Resolve(ctx, Source{Kind: KindLocal, Path: p})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const gh = "https://github.com/kubernetes/kubernetes"
	t.Run("periodic", func(t *testing.T) {
		pass := resolve("logs/ci-kubernetes-e2e-windows-gce/1889163571498061825")
		fail := resolve("logs/ci-kubernetes-e2e-windows-gce/1889253625822187520")
		want := []Repo{{Name: "kubernetes/kubernetes", Link: gh, BaseRef: "master", BaseSHA: "2a0990155ec112a41332671e9959ee22c8257bec"}}
		if got := fail.Repos(); !reflect.DeepEqual(got, want) {
			t.Errorf("Repos() = %+v, want %+v", got, want)
		}
		c := Commits(pass, fail)
		if len(c) != 1 || c[0].CompareURL != gh+"/compare/7955f7263265570402e7c27cea966995dc363509...2a0990155ec112a41332671e9959ee22c8257bec" {
			t.Errorf("Commits = %+v", c)
		}
	})
	t.Run("presubmit", func(t *testing.T) {
		pass := resolve("pr-logs/directory/pull-kubernetes-e2e-windows-gce/1889090134922498050.txt")
		fail := resolve("pr-logs/directory/pull-kubernetes-e2e-windows-gce/1889280095776935936.txt")
		want := []Repo{{Name: "kubernetes/kubernetes", Link: gh, BaseRef: "master", BaseSHA: "5436bf7c22542834e8df1c77945b803f55cac678",
			Pulls: []Pull{{130117, "2a16df6cadcd91d4991bffe33e3381b92fd71182"}}}}
		if got := fail.Repos(); !reflect.DeepEqual(got, want) {
			t.Errorf("Repos() = %+v, want %+v", got, want)
		}
		c := Commits(pass, fail)
		wantPulls := []PullChange{{Pull{130117, "2a16df6cadcd91d4991bffe33e3381b92fd71182"}, gh + "/pull/130117",
			gh + "/compare/5436bf7c22542834e8df1c77945b803f55cac678...2a16df6cadcd91d4991bffe33e3381b92fd71182"}}
		if len(c) != 1 || c[0].CompareURL != gh+"/compare/0acdad66228a9bf9ca789cc677b57c7275483c83...5436bf7c22542834e8df1c77945b803f55cac678" ||
			!reflect.DeepEqual(c[0].Pulls, wantPulls) {
			t.Errorf("Commits = %+v", c)
		}
	})
}
