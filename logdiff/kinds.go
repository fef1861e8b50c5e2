package logdiff

// What the core knows of each kind of finding, in one place: its name,
// where it stands among findings of equal score, and how it groups jobs.
// Each kind's summary and score are made by the code that finds it
// (findings.go for log findings, config.go for configuration), ranked
// together by rank.go.

// Kind says what sort of difference a Finding is.
type Kind string

const (
	// Missing lines are shared by the passing runs and absent (or fewer) in the failing run.
	Missing Kind = "missing"
	// New lines appear in the failing run and in no passing run.
	New Kind = "new"
	// Changed lines stand where a passing run had a line that differs in a token or two.
	Changed Kind = "changed"
	// EndedEarly says the failing run stopped where the passing runs went on.
	EndedEarly Kind = "ended-early"
	// Config is a difference of configuration (environment, refs, images) between runs.
	Config Kind = "config"
	// Test is a test result that changed: a test that passed in the passing
	// runs and fails now, fails anew, or did not run (JUnit results).
	Test Kind = "test"
)

// Kinds lists the kinds of finding in the order reports count them.
func Kinds() []Kind { return []Kind{Test, Config, Missing, New, Changed, EndedEarly} }

// kindOrder breaks ties between findings of equal score at the same
// place: a change says most, configuration least.
var kindOrder = map[Kind]int{Test: 0, Changed: 1, Missing: 2, New: 3, EndedEarly: 4, Config: 5}

// GroupKey is the key under which a finding groups jobs into one
// regression: its Key (the normalized telling line), and for a setting
// changed the new value too, since "image changed" to two different images
// are two causes. A setting removed is one cause whatever its old value.
func (f *Finding) GroupKey() string {
	k := f.Key
	if k == "" {
		k = string(f.Kind) + ": " + f.Summary
	}
	if f.Kind == Config && f.Config != nil && f.Config.InFailing {
		k += "=" + f.Config.Failing
	}
	return k
}

// ParseKind returns the kind called name.
func ParseKind(name string) (Kind, bool) {
	for _, k := range Kinds() {
		if string(k) == name {
			return k, true
		}
	}
	return "", false
}

// Filter keeps the findings keep accepts, in their order and with their
// ranks (a finding is still the n-th most likely cause), and returns how
// many it dropped.
func (r *Report) Filter(keep func(*Finding) bool) int {
	kept := r.Findings[:0]
	for i := range r.Findings {
		if keep(&r.Findings[i]) {
			kept = append(kept, r.Findings[i])
		}
	}
	dropped := len(r.Findings) - len(kept)
	r.Findings = kept
	r.LeftOut += dropped
	return dropped
}
