package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
)

// The README documents flags in tables whose header is "| flag | meaning |",
// under the heading of the section they belong to. A heading names its
// commands in backticks (`logdiff job JOB [BUILD]` is logdiff job). A row
// names its flags in backticks in the first cell (`-C N`, `--context N`)
// and may state a default in the second as: default `VALUE`, written as
// --help writes it (a slice without its brackets).

// alsoIn names, for each command, the commands whose sections document
// the flags it shares with them: flags are documented once, where they
// first appear.
var alsoIn = map[string][]string{
	"logdiff diff":        {"logdiff job"},                 // fetching
	"logdiff job":         {"logdiff diff"},                // output, comparison
	"logdiff attach":      {"logdiff diff", "logdiff job"}, // comparison, fetching
	"logdiff normalize":   {"logdiff diff"},                // reading, rules
	"logdiff sweep":       {"logdiff diff", "logdiff job"},
	"logdiff sweep merge": {"logdiff sweep"}, // summary
	"logdiff rules list":  {"logdiff diff"},
	"logdiff rules test":  {"logdiff diff"},
}

type readmeRow struct {
	line    int
	flags   []string // as written: --context, -C
	def     string   // stated default, "" if none
	hasDef  bool
	section string // the heading
	owners  []string
}

// TestREADMEFlags compares the README's flag tables with the commands'
// flags: every flag is documented, every documented flag exists, and
// every default the README states is the flag's, as is every default that
// is not empty, zero or false.
func TestREADMEFlags(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ios, _, _, _ := iostreams.Test()
	root := NewCmdRoot(&Factory{IO: ios})
	cmds := map[string]*cobra.Command{}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		cmds[c.CommandPath()] = c
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	rows := readmeFlagRows(t, string(data), cmds)
	if len(rows) < 20 {
		t.Fatalf("found %d flag rows in README.md: the tables are not where this test looks", len(rows))
	}

	for path, c := range cmds {
		if !c.Runnable() || c == root {
			continue
		}
		docs := append([]string{path}, alsoIn[path]...)
		var mine []readmeRow // the rows of the sections documenting path
		for _, r := range rows {
			if slices.ContainsFunc(r.owners, func(o string) bool { return slices.Contains(docs, o) }) {
				mine = append(mine, r)
			}
		}
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			if fl.Hidden || fl.Name == "help" {
				return
			}
			var documented, stated bool
			for _, r := range mine {
				if !slices.Contains(r.flags, "--"+fl.Name) {
					continue
				}
				documented = true
				if !r.hasDef {
					continue
				}
				stated = true
				if want := strings.Trim(fl.DefValue, "[]"); r.def != want {
					t.Errorf("README.md:%d: %s %s: default %q, --help says %q", r.line, path, "--"+fl.Name, r.def, want)
				}
			}
			switch {
			case !documented:
				t.Errorf("%s --%s is in no flag table of README.md (sections of %s)", path, fl.Name, strings.Join(docs, ", "))
			case !stated && !zeroDefault(fl):
				t.Errorf("%s --%s: README.md does not state its default %q (write: default `%s`)", path, fl.Name, fl.DefValue, strings.Trim(fl.DefValue, "[]"))
			}
		})
	}

	// Every documented flag exists in a command its section names.
	for _, r := range rows {
		for _, name := range r.flags {
			found := false
			for _, o := range r.owners {
				fs := cmds[o].LocalFlags()
				if strings.HasPrefix(name, "--") && fs.Lookup(name[2:]) != nil ||
					!strings.HasPrefix(name, "--") && fs.ShorthandLookup(name[1:]) != nil {
					found = true
				}
			}
			if !found {
				t.Errorf("README.md:%d: %s is not a flag of %s", r.line, name, strings.Join(r.owners, " or "))
			}
		}
	}
}

func zeroDefault(fl *pflag.Flag) bool {
	switch fl.DefValue {
	case "", "0", "false", "[]", "0s":
		return true
	}
	return false
}

var (
	tickSpan   = regexp.MustCompile("`([^`]*)`")
	flagName   = regexp.MustCompile(`^(--?[A-Za-z][A-Za-z0-9-]*)`)
	statedDef  = regexp.MustCompile("default `([^`]*)`")
	headerLine = regexp.MustCompile(`^\|\s*flag\s*\|\s*meaning\s*\|\s*$`)
)

// readmeFlagRows returns the rows of every "| flag | meaning |" table with
// the commands its heading names.
func readmeFlagRows(t *testing.T, readme string, cmds map[string]*cobra.Command) []readmeRow {
	t.Helper()
	var rows []readmeRow
	var section string
	var owners []string
	inTable := false
	for i, line := range strings.Split(readme, "\n") {
		n := i + 1
		switch {
		case strings.HasPrefix(line, "#"):
			section, owners, inTable = line, headingCommands(line, cmds), false
			continue
		case headerLine.MatchString(line):
			if len(owners) == 0 {
				t.Errorf("README.md:%d: a flag table under %q, which names no command", n, section)
			}
			inTable = true
			continue
		case !strings.HasPrefix(line, "|"):
			inTable = false
			continue
		case !inTable || strings.HasPrefix(line, "|---"):
			continue
		}
		cells := splitCells(line)
		if len(cells) < 2 {
			t.Errorf("README.md:%d: a flag row without a meaning", n)
			continue
		}
		r := readmeRow{line: n, section: section, owners: owners}
		for _, m := range tickSpan.FindAllStringSubmatch(cells[0], -1) {
			if f := flagName.FindString(m[1]); f != "" {
				r.flags = append(r.flags, f)
			}
		}
		if len(r.flags) == 0 {
			t.Errorf("README.md:%d: a flag row that names no flag", n)
			continue
		}
		// A short and a long name are one flag.
		for _, f := range r.flags {
			if !strings.HasPrefix(f, "--") {
				for _, o := range owners {
					if fl := cmds[o].LocalFlags().ShorthandLookup(f[1:]); fl != nil && !slices.Contains(r.flags, "--"+fl.Name) {
						r.flags = append(r.flags, "--"+fl.Name)
					}
				}
			}
		}
		if m := statedDef.FindAllStringSubmatch(cells[1], -1); len(m) > 0 {
			long := 0
			for _, f := range r.flags {
				if strings.HasPrefix(f, "--") {
					long++
				}
			}
			if len(m) > 1 || long > 1 {
				t.Errorf("README.md:%d: a default is stated in a row of several flags: give each its row", n)
			}
			r.def, r.hasDef = m[0][1], true
		}
		rows = append(rows, r)
	}
	return rows
}

// headingCommands returns the commands a heading names in backticks.
func headingCommands(heading string, cmds map[string]*cobra.Command) []string {
	var out []string
	for _, m := range tickSpan.FindAllStringSubmatch(heading, -1) {
		words := strings.Fields(m[1])
		for k := len(words); k >= 2; k-- {
			if _, ok := cmds[strings.Join(words[:k], " ")]; ok {
				out = append(out, strings.Join(words[:k], " "))
				break
			}
		}
	}
	return out
}

// splitCells splits a table row on the bars that are not escaped (\|).
func splitCells(line string) []string {
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	cells = append(cells, cur.String())
	return cells[1:] // before the first bar
}

// TestREADMEExample: the output the README shows under "Why" is what
// logdiff job prints on the bundled sample. A line "..." stands for lines
// left out, and a line ending in " ..." for the rest of one; every other
// line is printed as shown, in the order shown.
func TestREADMEExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(data), "\n## Why\n")
	if !ok {
		t.Fatal(`no "## Why" section in the README`)
	}
	_, block, ok := strings.Cut(after, "\n```\n")
	block, _, ok2 := strings.Cut(block, "\n```\n")
	if !ok || !ok2 {
		t.Fatal(`no example output under "## Why"`)
	}
	bucket, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata", "bucket"))
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, t.TempDir(), "job", "ci-kubernetes-e2e-windows-gce", "--bucket", bucket, "--no-cache")
	if code != ExitFindings {
		t.Fatalf("exit status %d, want %d; stderr:\n%s", code, ExitFindings, stderr)
	}
	// Standard error's choice of runs comes first.
	got := append(strings.Split(stderr, "\n"), strings.Split(stdout, "\n")...)
	at := 0
	for _, want := range strings.Split(block, "\n") {
		if strings.TrimSpace(want) == "..." || want == "" {
			continue
		}
		prefix, cut := strings.CutSuffix(want, " ...")
		found := false
		for ; at < len(got); at++ {
			if got[at] == want || cut && strings.HasPrefix(got[at], prefix) {
				found = true
				break
			}
		}
		at++ // a line shown twice is printed twice
		if !found {
			t.Errorf("the README's example shows a line logdiff job does not print (or not in this order):\n%s\nit prints:\n%s\n%s", want, stdout, stderr)
			return
		}
	}
}

// TestREADMECommands: a README block that starts with "$ logdiff ..." on
// the bundled bucket shows what that command prints (standard output, each
// line without its trailing spaces), in order; "..." stands for lines left
// out.
func TestREADMECommands(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	bucket, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata", "bucket"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, part := range strings.Split(string(data), "\n$ logdiff ")[1:] {
		block, _, _ := strings.Cut(part, "```\n")
		cmdLine, shown, _ := strings.Cut(block, "\n")
		args := strings.Fields(cmdLine)
		if !slices.Contains(args, "testdata/bucket") {
			continue
		}
		blocks++
		for i, a := range args {
			if a == "testdata/bucket" {
				args[i] = bucket
			}
		}
		t.Run(cmdLine, func(t *testing.T) {
			code, stdout, stderr := run(t, t.TempDir(), append(args, "--no-cache")...)
			if code == ExitTrouble {
				t.Fatalf("logdiff %s: exit status %d:\n%s", cmdLine, code, stderr)
			}
			var got []string
			for _, l := range strings.Split(stdout, "\n") {
				got = append(got, strings.TrimRight(l, " "))
			}
			// The first line shown may stand anywhere; each next one right
			// after the one before, unless a "..." line stands between.
			at, skip, checked := 0, true, 0
			for _, want := range strings.Split(strings.TrimRight(shown, "\n"), "\n") {
				if strings.TrimSpace(want) == "..." {
					skip = true
					continue
				}
				for skip && at < len(got) && got[at] != want {
					at++
				}
				if at == len(got) || got[at] != want {
					t.Fatalf("the README shows a line logdiff %s does not print there:\n%s\nit prints:\n%s\n%s", cmdLine, want, stdout, stderr)
				}
				at, skip = at+1, false
				checked++
			}
			if checked == 0 {
				t.Fatalf("the README's block of logdiff %s shows no line", cmdLine)
			}
		})
	}
	if blocks == 0 {
		t.Fatal("no README block runs logdiff on testdata/bucket")
	}
}
