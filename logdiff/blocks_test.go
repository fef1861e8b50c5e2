package logdiff

import (
	"slices"
	"strings"
	"testing"
)

// TestJoinBlocks: the runs of new lines of one error report, split by
// lines the passing run printed too, are one finding that shows the lines
// between them; runs that are not one report stay apart.
func TestJoinBlocks(t *testing.T) {
	mavenHelp := []string{
		"[ERROR] ",
		"[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
		"[ERROR] Re-run Maven using the -X switch to enable full debug logging.",
	}
	frames := []string{
		"\tat org.junit.Method.invoke(Method.java:566)",
		"\tat org.junit.Runner.run(Runner.java:60)",
	}
	lines := func(parts ...[]string) string {
		var all []string
		for _, p := range parts {
			all = append(all, p...)
		}
		return strings.Join(all, "\n") + "\n"
	}
	tests := []struct {
		name       string
		pass, fail string
		// want: the failing lines of the first finding that holds line wantLine
		wantLine int
		want     []int
	}{
		{
			name:     "a tool's help text both runs print joins the error above and the line below",
			pass:     lines([]string{"start"}, mavenHelp, []string{"done"}),
			fail:     lines([]string{"start", "[ERROR] Failed to execute goal compile: Compilation failure"}, mavenHelp, []string{"[ERROR] [Help 1] http://cwiki.apache.org/MojoFailureException", "done"}),
			wantLine: 2,
			want:     []int{2, 3, 4, 5, 6},
		},
		{
			name:     "frames both traces share join the exception and its chained cause",
			pass:     lines([]string{"start", "java.lang.IllegalStateException: other"}, frames, []string{"done"}),
			fail:     lines([]string{"start", "java.lang.RuntimeException: boom"}, frames, []string{"Caused by: java.io.IOException: 503 Service Unavailable", "done"}),
			wantLine: 2,
			want:     []int{2, 3, 4, 5},
		},
		{
			name:     "a blank separator inside a report is shown",
			pass:     lines([]string{"start", "done"}),
			fail:     lines([]string{"start", "ERROR: cloning failed", "", "fatal: unable to access repo", "done"}),
			wantLine: 2,
			want:     []int{2, 3, 4},
		},
		{
			name:     "a test runner's report after what the code under test logged stays apart",
			pass:     lines([]string{"start"}, frames, []string{"done"}),
			fail:     lines([]string{"start", "java.lang.NullPointerException: null"}, frames, []string{"[ERROR] Tests run: 3, Failures: 1 <<< FAILURE! - in com.example.FooTest", "done"}),
			wantLine: 2,
			want:     []int{2},
		},
		{
			name:     "lines between that are no report's keep runs apart",
			pass:     lines([]string{"start", "[INFO] Building jar", "done"}),
			fail:     lines([]string{"start", "ERROR: cloning failed", "[INFO] Building jar", "fatal: unable to access repo", "done"}),
			wantLine: 2,
			want:     []int{2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := diffTexts(t, tt.fail, tt.pass)
			for _, f := range r.Findings {
				var got []int
				for _, l := range f.Lines {
					if l.Side == SideFailing {
						got = append(got, l.N)
					}
				}
				if slices.Contains(got, tt.wantLine) {
					if !slices.Equal(got, tt.want) {
						t.Errorf("finding %q has failing lines %v, want %v", f.Summary, got, tt.want)
					}
					return
				}
			}
			t.Errorf("no finding holds failing line %d: %+v", tt.wantLine, r.Findings)
		})
	}
}
