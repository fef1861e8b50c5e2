package fetch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Metadata file names in a build directory, and the bound on their size.
const (
	startedJSON  = "started.json"
	finishedJSON = "finished.json"
	prowJobJSON  = "prowjob.json"
	metaLimit    = 10 << 20
	pointerLimit = 4 << 10 // as Prow's own reader of pointer files
)

// Started is a build's started.json, written when it starts.
type Started struct {
	Timestamp  time.Time         // when the job started; zero if absent
	Node       string            // the machine that ran it
	Pull       string            // the PR number the primary repository tests
	Repos      map[string]string // repository to "branch:sha,pr:sha"
	RepoCommit string            // the commit of the primary repository
	Metadata   map[string]any    // anything the job recorded
}

// Finished is a build's finished.json, written when it ends; a build
// without one is still running (or died without saying).
type Finished struct {
	Timestamp time.Time      // when the job finished; zero if absent
	Passed    *bool          // nil if absent
	Result    string         // SUCCESS, FAILURE, ABORTED, ERROR or "" (older files)
	Metadata  map[string]any // anything the job recorded, such as job-version
}

// jsonTime reads epoch seconds written as an integer, a float or a string.
type jsonTime struct{ time.Time }

func (t *jsonTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s := strings.Trim(string(b), `"`)
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > math.MaxInt32*4 {
		return fmt.Errorf("timestamp %s is not epoch seconds", b)
	}
	t.Time = time.Unix(int64(f), 0).UTC()
	return nil
}

// jsonString reads a string that some writers put down as a number.
type jsonString string

func (s *jsonString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = jsonString(v)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*s = jsonString(n.String())
	return nil
}

func parseStarted(b []byte) (*Started, error) {
	var raw struct {
		Timestamp   jsonTime          `json:"timestamp"`
		Node        string            `json:"node"`
		Pull        jsonString        `json:"pull"`
		Repos       map[string]string `json:"repos"`
		RepoCommit  string            `json:"repo-commit"`
		RepoVersion string            `json:"repo-version"`
		JobVersion  string            `json:"job-version"`
		Metadata    map[string]any    `json:"metadata"`
	}
	if err := decodeJSON(b, &raw); err != nil {
		return nil, err
	}
	s := &Started{Timestamp: raw.Timestamp.Time, Node: raw.Node, Pull: string(raw.Pull),
		Repos: raw.Repos, RepoCommit: raw.RepoCommit, Metadata: raw.Metadata}
	if s.RepoCommit == "" {
		s.RepoCommit = raw.RepoVersion // the deprecated name of the same thing
	}
	if raw.JobVersion != "" {
		if s.Metadata == nil {
			s.Metadata = map[string]any{}
		}
		if _, ok := s.Metadata["job-version"]; !ok {
			s.Metadata["job-version"] = raw.JobVersion
		}
	}
	return s, nil
}

func parseFinished(b []byte) (*Finished, error) {
	var raw struct {
		Timestamp  jsonTime       `json:"timestamp"`
		Passed     *bool          `json:"passed"`
		Result     string         `json:"result"`
		Revision   string         `json:"revision"`
		JobVersion string         `json:"job-version"`
		Metadata   map[string]any `json:"metadata"`
	}
	if err := decodeJSON(b, &raw); err != nil {
		return nil, err
	}
	f := &Finished{Timestamp: raw.Timestamp.Time, Passed: raw.Passed,
		Result: strings.ToUpper(strings.TrimSpace(raw.Result)), Metadata: raw.Metadata}
	for k, v := range map[string]string{"job-version": raw.JobVersion, "revision": raw.Revision} {
		if v == "" {
			continue
		}
		if f.Metadata == nil {
			f.Metadata = map[string]any{}
		}
		if _, ok := f.Metadata[k]; !ok {
			f.Metadata[k] = v
		}
	}
	return f, nil
}

// prowJob is the part of prowjob.json (the ProwJob resource, with presets
// applied to its pod spec) that tells runs of a job apart.
type prowJob struct {
	Metadata struct {
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata"`
	Spec struct {
		Type      string     `json:"type"`
		Agent     string     `json:"agent"`
		Cluster   string     `json:"cluster"`
		Job       string     `json:"job"`
		Refs      *prowRefs  `json:"refs"`
		ExtraRefs []prowRefs `json:"extra_refs"`
		PodSpec   *struct {
			Containers   []container       `json:"containers"`
			NodeSelector map[string]string `json:"nodeSelector"`
		} `json:"pod_spec"`
	} `json:"spec"`
}

type prowRefs struct {
	Org      string `json:"org"`
	Repo     string `json:"repo"`
	RepoLink string `json:"repo_link"`
	BaseRef  string `json:"base_ref"`
	BaseSHA  string `json:"base_sha"`
	Pulls    []struct {
		Number int    `json:"number"`
		SHA    string `json:"sha"`
	} `json:"pulls"`
}

type container struct {
	Name    string   `json:"name"`
	Image   string   `json:"image"`
	Command []string `json:"command"`
	Args    []string `json:"args"`
	Env     []struct {
		Name      string          `json:"name"`
		Value     string          `json:"value"`
		ValueFrom json.RawMessage `json:"valueFrom"`
	} `json:"env"`
	Resources struct {
		Requests map[string]any `json:"requests"`
		Limits   map[string]any `json:"limits"`
	} `json:"resources"`
}

func parseProwJob(b []byte) (*prowJob, error) {
	var pj prowJob
	if err := decodeJSON(b, &pj); err != nil {
		return nil, err
	}
	return &pj, nil
}

// decodeJSON decodes one JSON object and nothing after it.
func decodeJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("data after the JSON object")
	}
	return nil
}
