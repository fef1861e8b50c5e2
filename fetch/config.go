package fetch

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Setting is one piece of a run's configuration, such as
// {"env", "KUBERNETES_NODE_PLATFORM", "windows"}. A run's settings form a
// multiset (a container may pass the same flag twice): compare them as such.
type Setting struct {
	Section, Key, Value string
}

// perRunLabels are labels and annotations that differ on every run by
// construction, or repeat the refs: comparing them would only be noise.
func perRunLabel(k string) bool {
	switch k {
	case "prow.k8s.io/build-id", "prow.k8s.io/id", "event-GUID", "created-by-prow":
		return true
	}
	return strings.HasPrefix(k, "prow.k8s.io/refs.")
}

// Config lists the build's configuration from prowjob.json (the pod spec
// after presets were applied) and started.json/finished.json, sorted by
// section, key and value. Sections:
//
//	job          type, cluster
//	image        <container> ("test" when unnamed, as Prow names it): image
//	command      <container>: the command, joined by spaces
//	arg          <container>: one setting per argument
//	env          NAME (first container) or <container>/NAME: value
//	resources    <container> requests.cpu (and the like): quantity
//	node-selector, label, annotation: key: value (per-run ids left out)
//	ref          <org>/<repo> (or started.json's repo key): base branch
//	commit       <org>/<repo>: base commit; repo-commit: checked-out commit
//	pull         <org>/<repo>#<number>: head commit
//	metadata     key: value from started.json, then finished.json (without
//	             the pod's uid and copies of the refs)
//
// Comparing configurations is for the caller.
func (b Build) Config() []Setting {
	var out []Setting
	add := func(section, key, value string) {
		out = append(out, Setting{section, key, value})
	}
	if pj := b.prowJob; pj != nil {
		if pj.Spec.Type != "" {
			add("job", "type", pj.Spec.Type)
		}
		if pj.Spec.Cluster != "" {
			add("job", "cluster", pj.Spec.Cluster)
		}
		if ps := pj.Spec.PodSpec; ps != nil {
			for i, c := range ps.Containers {
				name := c.Name
				switch {
				case name == "" && i == 0:
					name = "test" // the name Prow's decoration gives it
				case name == "":
					name = strconv.Itoa(i)
				}
				envPrefix := ""
				if i > 0 {
					envPrefix = name + "/"
				}
				if c.Image != "" {
					add("image", name, c.Image)
				}
				if len(c.Command) > 0 {
					add("command", name, strings.Join(c.Command, " "))
				}
				for _, a := range c.Args {
					add("arg", name, a)
				}
				for _, e := range c.Env {
					v := e.Value
					if len(e.ValueFrom) > 0 && string(e.ValueFrom) != "null" {
						v = "valueFrom " + compactJSON(e.ValueFrom)
					}
					add("env", envPrefix+e.Name, v)
				}
				for kind, m := range map[string]map[string]any{"requests": c.Resources.Requests, "limits": c.Resources.Limits} {
					for k, v := range m {
						add("resources", name+" "+kind+"."+k, scalar(v))
					}
				}
			}
			for k, v := range ps.NodeSelector {
				add("node-selector", k, v)
			}
		}
		for k, v := range pj.Metadata.Labels {
			if !perRunLabel(k) {
				add("label", k, v)
			}
		}
		for k, v := range pj.Metadata.Annotations {
			if !perRunLabel(k) {
				add("annotation", k, v)
			}
		}
		refs := pj.Spec.ExtraRefs
		if pj.Spec.Refs != nil {
			refs = append([]prowRefs{*pj.Spec.Refs}, refs...)
		}
		for _, r := range refs {
			repo := r.Org + "/" + r.Repo
			if r.BaseRef != "" {
				add("ref", repo, r.BaseRef)
			}
			if r.BaseSHA != "" {
				add("commit", repo, r.BaseSHA)
			}
			for _, p := range r.Pulls {
				add("pull", repo+"#"+strconv.Itoa(p.Number), p.SHA)
			}
		}
	}
	if s := b.Started; s != nil {
		if b.prowJob == nil || b.prowJob.Spec.Refs == nil && len(b.prowJob.Spec.ExtraRefs) == 0 {
			// Without prowjob.json, the repos map is all we know of refs:
			// "master:abc123,4567:def456".
			for repo, v := range s.Repos {
				for i, part := range strings.Split(v, ",") {
					ref, sha, _ := strings.Cut(part, ":")
					switch {
					case i == 0:
						add("ref", repo, ref)
						if sha != "" {
							add("commit", repo, sha)
						}
					default:
						add("pull", repo+"#"+ref, sha)
					}
				}
			}
		}
		if s.RepoCommit != "" {
			add("commit", "repo-commit", s.RepoCommit)
		}
	}
	meta := map[string]string{}
	if b.Started != nil {
		flatten("", b.Started.Metadata, meta)
	}
	if b.Finished != nil {
		flatten("", b.Finished.Metadata, meta)
	}
	for k, v := range meta {
		switch {
		case k == "pod":
			continue // the pod's uid: new every run
		case k == "repo-commit" || k == "repos" || strings.HasPrefix(k, "repos."):
			continue // the refs again, already under ref, commit and pull
		case k == "revision" && v == meta["job-version"]:
			continue
		}
		add("metadata", k, v)
	}
	slices.SortFunc(out, func(x, y Setting) int {
		if c := strings.Compare(x.Section, y.Section); c != 0 {
			return c
		}
		if c := strings.Compare(x.Key, y.Key); c != 0 {
			return c
		}
		return strings.Compare(x.Value, y.Value)
	})
	return out
}

// flatten writes nested metadata as dotted keys: {"a": {"b": 1}} is a.b=1.
func flatten(prefix string, m map[string]any, out map[string]string) {
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			flatten(prefix+k+".", sub, out)
			continue
		}
		out[prefix+k] = scalar(v)
	}
}

// scalar renders a JSON value as text: strings bare, the rest as JSON.
func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func compactJSON(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	return scalar(v)
}
