package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/logdiff/logdiff/logdiff"
)

func TestStreakLine(t *testing.T) {
	run := func(id string) logdiff.StreakRun {
		return logdiff.StreakRun{Build: id, Name: "ci-x/" + id, URL: "https://prow.k8s.io/view/gs/b/logs/ci-x/" + id}
	}
	pass := run("10")
	since := time.Date(2025, 2, 11, 7, 3, 59, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name   string
		streak *logdiff.Streak
		want   string
	}{
		{"none", nil, ""},
		{"a run that did not fail", &logdiff.Streak{}, ""},
		{"newest failure", &logdiff.Streak{First: run("11"), Since: since, Runs: 3, Total: 3, Newest: run("13"), Pass: &pass},
			"failing since ci-x/11 (2025-02-11 06:03 UTC, 3 failing runs), after SUCCESS 10; first failing run: https://prow.k8s.io/view/gs/b/logs/ci-x/11"},
		{"one run", &logdiff.Streak{First: run("11"), Runs: 1, Total: 1, Newest: run("11"), Pass: &pass},
			"failing since ci-x/11 (1 failing run), after SUCCESS 10; first failing run: https://prow.k8s.io/view/gs/b/logs/ci-x/11"},
		{"first failure of several", &logdiff.Streak{First: run("11"), Since: since, Runs: 1, Total: 3, Newest: run("13"), Pass: &pass},
			"failing since ci-x/11 (2025-02-11 06:03 UTC, 3 failing runs to the newest, 13; the run compared is the 1st), after SUCCESS 10; first failing run: https://prow.k8s.io/view/gs/b/logs/ci-x/11"},
		{"running, the newest", &logdiff.Streak{First: run("11"), Runs: 3, Total: 3, Newest: run("13"), Pass: &pass, Running: true},
			"failing since ci-x/11 (3 failing runs counting this one), after SUCCESS 10; first failing run: https://prow.k8s.io/view/gs/b/logs/ci-x/11"},
		{"running, failures after it", &logdiff.Streak{First: run("11"), Runs: 2, Total: 4, Newest: run("14"), Pass: &pass, Running: true},
			"failing since ci-x/11 (4 failing runs counting this one to the newest, 14; this run is the 2nd), after SUCCESS 10; first failing run: https://prow.k8s.io/view/gs/b/logs/ci-x/11"},
		{"no pass, no link", &logdiff.Streak{First: logdiff.StreakRun{Build: "1", Name: "ci-x/1"}, Runs: 12, Total: 12},
			"failing since ci-x/1 (12 failing runs); no SUCCESS among the runs examined before it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := windowsReport()
			r.Streak = tt.streak
			if got := streakLine(r); got != tt.want {
				t.Errorf("streak line\n got  %q\n want %q", got, tt.want)
			}
			// The text report leads with it, once.
			var b bytes.Buffer
			if err := Text(&b, r, Options{}); err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(b.String(), "\n")
			if tt.want != "" && first != "streak:  "+tt.want {
				t.Errorf("the text report begins %q, want the streak", first)
			}
			if n := strings.Count(b.String(), "failing since"); n != min(1, len(tt.want)) {
				t.Errorf("the text report says the streak %d times", n)
			}
		})
	}
}

// TestStreakOnce: every format for people says the streak once (JUnit's
// body holds the text report, whose streak line would repeat the runs');
// JSON has it as a field.
func TestStreakOnce(t *testing.T) {
	for _, r := range []*logdiff.Report{windowsReport(), emptyReport()} {
		for _, f := range Formats() {
			if f.Name == "json" {
				continue
			}
			var b bytes.Buffer
			if err := f.Report(&b, r, Options{Now: clock}); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(b.String(), "failing since"); n != 1 {
				t.Errorf("%s of %s: the streak is said %d times, want 1", f.Name, r.Failing.Name, n)
			}
		}
	}
}
