package sweep

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/logdiff/logdiff/logdiff/regressions"
	"github.com/logdiff/logdiff/patterns"
)

// Defaults of a Config.
const (
	DefaultScan     = 100
	DefaultGroupTop = regressions.DefaultGroupTop
	DefaultKeep     = 10
	DefaultParallel = 4
)

const maxConfigSize = 1 << 20

// Config is a sweep's configuration file (sweep.yaml): the jobs to watch,
// where their runs are, and how to compare them. Relative paths in it are
// relative to the file's directory.
type Config struct {
	Bucket string // gs://BUCKET or a local directory laid out like a bucket

	// Jobs are watched by name. Prefixes are object prefixes under logs/
	// or pr-logs/directory/ whose jobs are all watched, less those that
	// match no Include pattern (when there are any) or an Exclude pattern
	// (path.Match globs on the job's name).
	Jobs             []string
	Prefixes         []string
	Include, Exclude []string

	Baselines int // passing runs to compare with
	Scan      int // newest builds of a job examined for its transition
	GroupTop  int // top findings of a job compared to group jobs
	Keep      int // findings kept in a job's record
	Parallel  int // jobs compared at once

	Artifacts   []string // artifact globs compared besides the build log
	Rules       []string // rule files
	Packs       []string // built-in packs; nil means all
	NoUserRules bool

	State   string // directory of the state kept between sweeps
	Records string // where this sweep's job records go: a .jsonl file or a directory
}

// configKeys are the file's keys, in the order the docs list them.
var configKeys = []string{"bucket", "jobs", "prefixes", "include", "exclude", "baselines", "scan",
	"group_top", "keep_findings", "parallel", "artifacts", "rules", "packs", "no_user_rules", "state", "records"}

// LoadConfig reads and checks the configuration file at name.
func LoadConfig(name string) (*Config, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading the sweep configuration: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the sweep configuration %s: %w", name, err)
	}
	if len(data) > maxConfigSize {
		return nil, fmt.Errorf("reading the sweep configuration %s: larger than %d bytes", name, maxConfigSize)
	}
	return ParseConfig(name, data)
}

// ParseConfig parses a configuration; name is used in errors ("name:line:
// reason") and its directory anchors relative paths. Unknown keys, values
// of the wrong type and values out of range are all errors; at most 20 are
// reported at once.
func ParseConfig(name string, data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	c := &Config{Baselines: 3, Scan: DefaultScan, GroupTop: DefaultGroupTop, Keep: DefaultKeep, Parallel: DefaultParallel}
	p := &configParser{name: name}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty configuration: give at least jobs or prefixes", name)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a mapping of settings (%s)", name, root.Line, strings.Join(configKeys, ", "))
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		if seen[key] != nil {
			p.errorf(k, "%s given twice (first on line %d)", key, seen[key].Line)
			continue
		}
		seen[key] = k
		switch key {
		case "bucket":
			p.decode(v, &c.Bucket)
		case "jobs":
			p.decode(v, &c.Jobs)
			for _, j := range c.Jobs {
				if !validJob(j) {
					p.errorf(v, "job %q: want a job name such as ci-kubernetes-e2e-gci-gce", j)
				}
			}
		case "prefixes":
			p.decode(v, &c.Prefixes)
			for i, pre := range c.Prefixes {
				norm, err := normPrefix(pre)
				if err != nil {
					p.errorf(v, "%v", err)
				}
				c.Prefixes[i] = norm
			}
		case "include", "exclude":
			var pats []string
			p.decode(v, &pats)
			for _, pat := range pats {
				if _, err := path.Match(pat, ""); err != nil {
					p.errorf(v, "%s pattern %q: %v", key, pat, err)
				}
			}
			if key == "include" {
				c.Include = pats
			} else {
				c.Exclude = pats
			}
		case "baselines":
			p.intIn(key, v, &c.Baselines, 1, 20)
		case "scan":
			p.intIn(key, v, &c.Scan, 2, 10000)
		case "group_top":
			p.intIn(key, v, &c.GroupTop, 1, 20)
		case "keep_findings":
			p.intIn(key, v, &c.Keep, 1, 100)
		case "parallel":
			p.intIn(key, v, &c.Parallel, 1, 256)
		case "artifacts":
			p.decode(v, &c.Artifacts)
			for _, g := range c.Artifacts {
				if _, err := path.Match(g, ""); err != nil || g == "" || strings.HasPrefix(g, "/") {
					p.errorf(v, "artifact glob %q: want a pattern under the build directory, such as artifacts/*/serial-1.log", g)
				}
			}
		case "rules":
			p.decode(v, &c.Rules)
		case "packs":
			p.decode(v, &c.Packs)
			all := patterns.Packs()
			for _, pk := range c.Packs {
				if pk != "all" && pk != "none" && !slices.Contains(all, pk) {
					p.errorf(v, "pack %q: no such pack (have all, none, %s)", pk, strings.Join(all, ", "))
				}
			}
		case "no_user_rules":
			p.decode(v, &c.NoUserRules)
		case "state":
			p.decode(v, &c.State)
		case "records":
			p.decode(v, &c.Records)
		default:
			p.errorf(k, "unknown key %q (want one of %s)", key, strings.Join(configKeys, ", "))
		}
	}
	if c.Keep < c.GroupTop {
		at := seen["keep_findings"]
		if at == nil {
			at = seen["group_top"]
		}
		p.errorf(at, "keep_findings %d is less than group_top %d: a record must keep the findings that group it", c.Keep, c.GroupTop)
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	c.resolve(filepath.Dir(name))
	return c, nil
}

// resolve makes relative paths relative to dir, the file's directory.
func (c *Config) resolve(dir string) {
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) || strings.Contains(p, "://") {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.Bucket = rel(c.Bucket)
	c.State = rel(c.State)
	keepSlash := strings.HasSuffix(c.Records, "/")
	c.Records = rel(c.Records)
	if keepSlash && !strings.HasSuffix(c.Records, "/") {
		c.Records += "/" // the trailing slash says "a directory"
	}
	for i, r := range c.Rules {
		c.Rules[i] = rel(r)
	}
}

type configParser struct {
	name string
	errs []error
}

const maxConfigErrors = 20

func (p *configParser) errorf(n *yaml.Node, format string, args ...any) {
	if len(p.errs) == maxConfigErrors {
		p.errs = append(p.errs, fmt.Errorf("%s: more errors not shown", p.name))
	}
	if len(p.errs) > maxConfigErrors {
		return
	}
	p.errs = append(p.errs, fmt.Errorf("%s:%d: %s", p.name, n.Line, fmt.Sprintf(format, args...)))
}

// decode decodes v into dst, reporting a type mismatch at v's line.
func (p *configParser) decode(v *yaml.Node, dst any) {
	if err := v.Decode(dst); err != nil {
		var te *yaml.TypeError
		msg := err.Error()
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = te.Errors[0]
			// "line 3: cannot unmarshal !!str `x` into int": the line is ours to say.
			if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
				msg = rest
			}
		}
		p.errorf(v, "%s", msg)
	}
}

func (p *configParser) intIn(key string, v *yaml.Node, dst *int, lo, hi int) {
	var n int
	if err := v.Decode(&n); err != nil {
		p.errorf(v, "%s: want a whole number from %d to %d, not %q", key, lo, hi, v.Value)
		return
	}
	if n < lo || n > hi {
		p.errorf(v, "%s %d: want %d to %d", key, n, lo, hi)
		return
	}
	*dst = n
}

// validJob accepts the names Prow gives jobs: no path separators, spaces or
// control characters.
func validJob(j string) bool {
	if j == "" || j == "." || j == ".." || len(j) > 400 {
		return false
	}
	for _, r := range j {
		if r <= ' ' || r == '/' || r == '\\' || r == 0x7f {
			return false
		}
	}
	return true
}

// normPrefix checks an object prefix of jobs: under logs/ or
// pr-logs/directory/.
func normPrefix(p string) (string, error) {
	p = strings.TrimPrefix(p, "/")
	for _, root := range []string{"logs", "pr-logs/directory"} {
		if p == root {
			return root + "/", nil
		}
		if rest, ok := strings.CutPrefix(p, root+"/"); ok {
			if strings.Contains(rest, "/") {
				return "", fmt.Errorf("prefix %q: want a prefix of job names under %s/, not a path below a job", p, root)
			}
			return p, nil
		}
	}
	return "", fmt.Errorf("prefix %q: want logs/[NAME-PREFIX] (periodic and postsubmit jobs) or pr-logs/directory/[NAME-PREFIX] (presubmits)", p)
}
