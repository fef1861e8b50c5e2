package evaldata

import (
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// OzoneNight is one nightly run of Apache Ozone's CI
// (ozone-ci/<collection>/<run>/<check>/{output.log,result,summary.txt}).
type OzoneNight struct {
	Name string // the run's directory name, e.g. trunk-nightly-20191024-p2jsr
	Date string // YYYYMMDD from the name
	Dir  string
	// Checks maps a check (unit, integration, checkstyle...) to its result:
	// "success" or "failure"; checks without an output.log, or with an empty one, are left out.
	Checks map[string]string
}

var ozoneDate = regexp.MustCompile(`-(20\d{6})-`)

// OzoneNights lists the runs under root (ozone-ci), oldest first (by date,
// then name).
func OzoneNights(root string) ([]OzoneNight, error) {
	runs, err := filepath.Glob(filepath.Join(root, "*", "trunk-*"))
	if err != nil {
		return nil, err
	}
	var nights []OzoneNight
	for _, dir := range runs {
		name := filepath.Base(dir)
		m := ozoneDate.FindStringSubmatch(name)
		if m == nil {
			return nil, fmt.Errorf("%s: no date (YYYYMMDD) in the run's name", dir)
		}
		n := OzoneNight{Name: name, Date: m[1], Dir: dir, Checks: map[string]string{}}
		results, err := filepath.Glob(filepath.Join(dir, "*", "result"))
		if err != nil {
			return nil, err
		}
		for _, r := range results {
			if fi, err := os.Stat(filepath.Join(filepath.Dir(r), "output.log")); err != nil || fi.Size() == 0 {
				continue // a result without its log cannot be compared
			}
			b, err := os.ReadFile(r)
			if err != nil {
				return nil, err
			}
			res := strings.TrimSpace(string(b))
			if res != "success" && res != "failure" {
				return nil, fmt.Errorf("%s: result %q, want success or failure", r, res)
			}
			n.Checks[filepath.Base(filepath.Dir(r))] = res
		}
		nights = append(nights, n)
	}
	if len(nights) == 0 {
		return nil, fmt.Errorf("no runs under %s", root)
	}
	sort.Slice(nights, func(i, j int) bool {
		if nights[i].Date != nights[j].Date {
			return nights[i].Date < nights[j].Date
		}
		return nights[i].Name < nights[j].Name
	})
	return nights, nil
}

// Log is the path of a check's output.log.
func (n OzoneNight) Log(check string) string { return filepath.Join(n.Dir, check, "output.log") }

// Summary is the path of a check's summary.txt.
func (n OzoneNight) Summary(check string) string { return filepath.Join(n.Dir, check, "summary.txt") }

// NearestPassing returns up to k nights other than nights[i] whose check
// passed, nearest in date first (ties: the earlier night first): the
// baselines a failing check is compared with.
func NearestPassing(nights []OzoneNight, i int, check string, k int) []OzoneNight {
	type cand struct {
		n    OzoneNight
		dist int
		j    int
	}
	day := func(d string) int {
		// Days since year 0, good enough to order distances.
		var y, m, dd int
		fmt.Sscanf(d, "%4d%2d%2d", &y, &m, &dd)
		cum := []int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}
		return y*365 + y/4 + cum[m-1] + dd
	}
	var cs []cand
	for j, n := range nights {
		if j == i || n.Checks[check] != "success" {
			continue
		}
		d := day(n.Date) - day(nights[i].Date)
		if d < 0 {
			d = -d
		}
		cs = append(cs, cand{n, d, j})
	}
	sort.SliceStable(cs, func(a, b int) bool {
		if cs[a].dist != cs[b].dist {
			return cs[a].dist < cs[b].dist
		}
		return cs[a].j < cs[b].j
	})
	var out []OzoneNight
	for _, c := range cs[:min(k, len(cs))] {
		out = append(out, c.n)
	}
	return out
}

// ErrNoSummary is returned for a check whose summary.txt names nothing the
// cause could be derived from.
var ErrNoSummary = errors.New("no summary.txt to derive the cause from")

// OzoneCause derives a failing check's cause lines in its output.log
// (texts[i] is line i+1) from its summary.txt, as the check names them:
//
//   - unit, integration: the summary lists test classes; a cause line names
//     one of them (fully qualified, or its simple name before "." "(" ">"
//     ")" ":" or a space) with a failure word (FAIL, ERROR, Exception,
//     Error but not "Errors: 0", expected), and is no stack frame; so is the line right after a
//     "<<< FAILURE!" or "<<< ERROR!" line of such a class (the assertion or
//     exception it reports);
//   - checkstyle: the summary lists files and " N: message" violations; a
//     cause line names a file's base name with "[N" or ":N:", or is one of
//     the violation lines as the summary prints it;
//   - findbugs, rat: each summary line is one finding; a cause line holds it.
//
// Checks with nothing to derive from return ErrNoSummary: acceptance and
// build have no summary.txt (and acceptance's Robot "| FAIL |" lines are no
// substitute: passing nights print some of the same ones).
func OzoneCause(check string, summary []byte, texts []string) (map[int]bool, error) {
	var lines []string
	for _, l := range strings.Split(string(summary), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, "\r"))
		}
	}
	cause := map[int]bool{}
	switch check {
	case "unit", "integration":
		if len(lines) == 0 {
			return nil, ErrNoSummary
		}
		type class struct {
			fqn, simple string
			re          *regexp.Regexp
		}
		var classes []class
		for _, c := range lines {
			c = strings.TrimSpace(c)
			simple := c[strings.LastIndex(c, ".")+1:]
			classes = append(classes, class{c, simple, regexp.MustCompile(`(^|[^\w$])` + regexp.QuoteMeta(simple) + `[.(>):\s]`)})
		}
		// The regexp runs only where the name is a substring: Go's regexp
		// is slow on a pattern that does not start with a literal.
		names := func(s string) bool {
			for _, c := range classes {
				if strings.Contains(s, c.fqn) || strings.Contains(s, c.simple) && c.re.MatchString(s) {
					return true
				}
			}
			return false
		}
		failure := Split([]*regexp.Regexp{regexp.MustCompile(`FAIL|ERROR|Exception|Error\b|expected`)})
		frame := regexp.MustCompile(`^\s+at \S`)
		report := regexp.MustCompile(`<<< (FAILURE|ERROR)!`)
		// A failure word inside a class name (TestOzoneClientRetriesOnException)
		// is not one.
		var drop []string
		for _, c := range classes {
			drop = append(drop, c.fqn, "", c.simple, "")
		}
		unnamed := strings.NewReplacer(drop...)
		for i, s := range texts {
			if frame.MatchString(s) || !names(s) || !failure.MatchString(unnamed.Replace(s)) {
				continue
			}
			cause[i+1] = true
			if report.MatchString(s) && i+1 < len(texts) && strings.TrimSpace(texts[i+1]) != "" && !frame.MatchString(texts[i+1]) {
				cause[i+2] = true
			}
		}
	case "checkstyle":
		if len(lines) == 0 {
			return nil, ErrNoSummary
		}
		type viol struct{ base, line string }
		var vs []viol
		exact := map[string]bool{}
		base := ""
		for _, l := range lines {
			if !strings.HasPrefix(l, " ") {
				base = filepath.Base(strings.TrimSpace(l))
				continue
			}
			exact[strings.TrimSpace(l)] = true
			exact[strings.TrimSpace(html.UnescapeString(l))] = true
			n, _, ok := strings.Cut(strings.TrimSpace(l), ":")
			if ok && base != "" {
				vs = append(vs, viol{base, n})
			}
		}
		for i, s := range texts {
			t := strings.TrimSpace(s)
			if exact[t] {
				cause[i+1] = true
				continue
			}
			for _, v := range vs {
				if strings.Contains(s, v.base) && (strings.Contains(s, v.base+":["+v.line+"]") || strings.Contains(s, v.base+":["+v.line+",") || strings.Contains(s, v.base+":"+v.line+":")) {
					cause[i+1] = true
					break
				}
			}
		}
	case "findbugs", "rat":
		if len(lines) == 0 {
			return nil, ErrNoSummary
		}
		var finds []string
		for _, l := range lines {
			l = strings.TrimSpace(l)
			if _, after, ok := strings.Cut(l, "rat.txt: "); ok {
				l = after
			}
			finds = append(finds, l)
		}
		for i, s := range texts {
			for _, f := range finds {
				if strings.Contains(s, f) {
					cause[i+1] = true
					break
				}
			}
		}
	default:
		return nil, ErrNoSummary
	}
	if len(cause) == 0 {
		return nil, fmt.Errorf("%s: nothing in the log matches the summary's %d lines", check, len(lines))
	}
	return cause, nil
}
