package logdiff

import "testing"

// TestReadLine pins what real lines of many tools say, as the tier they
// put a finding in: the line that states what broke (a location, an
// exception with its message, a rule), the line that names the test that
// failed or a place without failure words, failure words with content of
// their own, the same at warning level, and the echoes that only say that
// something broke.
func TestReadLine(t *testing.T) {
	const (
		states = "states"
		test   = "test"
		fails  = "fails"
		warns  = "warns"
		echo   = "echo"
		none   = "none" // nothing about a failure
		frame  = "frame"
	)
	cases := []struct{ line, want string }{
		// Compilers and linters: a location and a message.
		{"[ERROR] /home/travis/build/x/src/main/java/a/B.java:[147,78] incompatible types: int cannot be converted", states},
		{"/home/travis/build/square/wire/wire-compiler/src/main/java/com/squareup/wire/model/RootSet.java:87:61: ';' is followed by whitespace.", test},
		{":compileJava/home/travis/build/x/Selector.java:30: error: Selector is already defined in this compilation unit", states},
		{"verktyg/utils.py:222: undefined name 'HTMLBuilder'", states},
		{"/home/travis/build/x/source_en/Introduction/ChangeLog.rst:29: WARNING: Inline emphasis start-string without end-string.", warns},
		{"/x/site-packages/urllib3/util/ssl_.py:318: SNIMissingWarning: An HTTPS request has been made", warns},
		{"/builds/x/AbstractFuture.java:[890,29] Unsafe is internal proprietary API and may be removed in a future release", test},
		{"[checkstyle] [ERROR] /x/TranslationCheckTest.java:26:15: Unused import - java.io.File. [UnusedImports]", states},
		{"M P UrF: Unread field: org.apache.hadoop.ozone.audit.AuditMessage.ret; At AuditMessage.java:[line 106]", test},
		{"    foo_test.go:42: got 1, want 2", test},
		{"[ERROR]   TranslationCheckTest.testDefaultTranslationFileIsMissing1:248 Unexpected log output expected:<...>", states},
		// Exceptions with their message.
		{"java.lang.AssertionError: expected:<1> but was:<2>", states},
		{"KeyError: 'journal_entry_id'", states},
		{"E       AssertionError: assert 1 == 2", states},
		{"Caused by: org.eclipse.jgit.errors.TransportException: https://github.com/x/y.git: 503 Service Unavailable", states},
		{"org.junit.ComparisonFailure: expected:<[2]> but was:<[3]>", states},
		// An environment variable set: its value is data, whatever words it holds.
		{`JOB_SPEC={"type":"presubmit","refs":{"pulls":[{"title":"clarify stats provider errors on Windows"}]}}`, none},
		{"export FAIL_FAST=true", none},
		// A failing test by name.
		{"testGetHeaderRow(com.adobe.acs.commons.data.SpreadsheetTest)  Time elapsed: 0.027 s  <<< FAILURE!", test},
		{"[ERROR] Tests run: 9, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 1.3 s <<< FAILURE! - in com.adobe.acs.commons.data.SpreadsheetTest", test},
		{"FAIL: test_plain (appier.test.smtp.SmtpTest)", test},
		{"theano.tests.test_flake8.test_format_flake8 ... FAIL", test},
		{"--- FAIL: TestParse (0.00s)", test},
		{"ConsoleClientTest > testClassicParsing() FAILED", test},
		// Echoes: counts, exit codes, verdicts, failed steps, pointers, headers.
		{"[ERROR] Tests run: 2476, Failures: 1, Errors: 0, Skipped: 0", echo},
		{"1 error", echo},
		{"FAILED (failures=1)", echo},
		{"4 tests completed, 2 failed", echo},
		{"[INFO] There is 1 error reported by Checkstyle 6.11.2 with checkstyle.xml ruleset.", echo},
		{"[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4:test (default-test) on project x: There are test failures.", echo},
		{"[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:compile (default-compile) on project jimfs: Compilation failure", echo},
		{"[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.", echo},
		{"FAILURE: Build failed with an exception.", echo},
		{"* What went wrong:", echo},
		{"Execution failed for task ':compileJava'.", echo},
		{"> Task :compileJava FAILED", echo},
		{"##[error]Process completed with exit code 1.", echo},
		{"The command \"mvn install -DskipTests=true -B -V\" failed and exited with 1 during .", echo},
		{"[INFO] BUILD FAILURE", echo},
		{"BUILD FAILED in 12s", echo},
		{"ERROR:   py36: commands failed", echo},
		{"Build is failed. Please fix errors or warnings.", echo},
		{"[ERROR] Failures:", echo},
		{"Tests in error:", echo},
		{"make: *** [all] Error 2", echo},
		// Failure words with content of their own.
		{"[ERROR] Failed to execute goal on project formats-api: Could not resolve dependencies for project ome:formats-api:jar:5.3.0-SNAPSHOT: Failed to collect dependencies", fails},
		{"!!! Cannot find kubernetes-node-windows-amd64.tar.gz", fails},
		{"[ERROR] No space left on device", fails},
		{"panic: runtime error: index out of range [3] with length 3", fails},
		{"[ERROR] Failed to execute goal on project x: Could not resolve dependencies for project a:b:jar:1.0: Failed to collect dependencies at c:d:jar:2.0 -> [Help 1]", fails},
		{"[WARNING] Missing header in: /home/travis/build/x/src/main/java/Foo.java", warns},
		{"org.apache.maven.lifecycle.LifecycleExecutionException: Failed to execute goal com.mycila:license-maven-plugin:3.0:check (enforce-license-headers) on project x: Some files do not have the expected license header", echo},
		{"[INFO] Closure Compiler GWT App ........................... FAILURE [  5.738 s]", echo},
		// Other ecosystems: Mozilla's harness logs failures at WARNING.
		{"21:30:46  WARNING -  TEST-UNEXPECTED-FAIL | dom/canvas/test/test_webgl.html | Test timed out. -", test},
		{"21:47:57    ERROR -            lld-link: error: undefined symbol: VariantToBoolean", fails},
		{"22:10:07    ERROR - PID 16211 | ==16211==ERROR: AddressSanitizer: heap-use-after-free on address 0x512000dacef0", fails},
		{"gmake[1]: *** [/builds/worker/checkouts/gecko/config/rules.mk:359: default] Error 2", echo},
		// Nothing about a failure.
		{"[INFO] Tests run: 2, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 1.5 s - in org.apache.hadoop.TestFoo", none},
		{"Installing collected packages: babel, coverage", none},
		{"Connecting to https://repo.maven.apache.org:443/maven2", none},
		{"copying images... [100%] ArchitectureInDetail/./images/exception-handling-flow.png", none},
		{"Installing collected packages: zope.testing, linecache2, traceback2, unittest2", none},
		{"Listening on 10.0.0.1:8080", none},
		{"subprocess.CalledProcessError: Command '('kubetest', '--up')' returned non-zero exit status 1.", echo},
		// Stack frames are context.
		{"Traceback (most recent call last):", frame},
		{"\tat org.junit.Assert.fail(Assert.java:88)", frame},
		{`  File "/x/y.py", line 12, in test_foo`, frame},
	}
	for _, c := range cases {
		r := readLine(c.line)
		got := map[tier]string{tierStates: states, tierTest: test, tierFails: fails, tierWarns: warns, tierEcho: echo, tierQuiet: none}[tierOf(r)]
		if isFrame(dropTags(trimLeftSpace(c.line))) {
			got = frame
		}
		if got != c.want {
			t.Errorf("%q: read as %s (%+v), want %s", c.line, got, r, c.want)
		}
	}
}

func trimLeftSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}
