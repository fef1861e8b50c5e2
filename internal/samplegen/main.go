// Command samplegen writes logdiff's sample Prow bucket: runs of a Windows-on-GCE e2e job before and after a config change broke it, and of a second job in whose newest run one test failed.
//
// Usage:
//
//	go run ./internal/samplegen -out testdata/bucket
//
// The output depends only on the tables in this package: every run draws its
// names, addresses, timestamps and durations from its own fixed seed, so the
// same bytes come out every time and the committed tree can be checked
// against a fresh generation.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
)

func main() {
	out := flag.String("out", "", "directory to write the bucket into (created if missing)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: samplegen -out DIR")
		os.Exit(2)
	}
	if err := writeTree(*out, bucketFiles()); err != nil {
		fmt.Fprintln(os.Stderr, "samplegen:", err)
		os.Exit(1)
	}
}

// summary is what the README says about one run.
type summary struct {
	spec    runSpec
	buildID string
	dir     string
}

// bucketFiles generates every object of the bucket, by path from its root.
func bucketFiles() map[string][]byte {
	files := map[string][]byte{}
	var sums []summary
	newest := map[string]summary{} // by the directory holding latest-build.txt
	for _, s := range story() {
		r := newRun(s, false)
		dir := s.dir(r.buildID)
		files[dir+"/build-log.txt"] = []byte(r.buildLog())
		end := r.now.Add(secondsDur(r.rnd.float(1, 3)))
		files[dir+"/started.json"] = r.startedJSON()
		files[dir+"/clone-records.json"] = r.cloneRecordsJSON()
		files[dir+"/prowjob.json"] = r.prowJobJSON(end)
		if s.outcome != running {
			files[dir+"/finished.json"] = r.finishedJSON(end)
			files[dir+"/podinfo.json"] = r.podInfoJSON(end)
			for p, b := range r.artifacts() {
				files[dir+"/artifacts/"+p] = b
			}
		}
		sum := summary{spec: s, buildID: r.buildID, dir: dir}
		sums = append(sums, sum)
		var pointerDirs []string
		if s.presubmit {
			// Prow's pointer from the job's directory to the PR's.
			files["pr-logs/directory/"+presubmitJob+"/"+r.buildID+".txt"] = []byte("gs://" + bucket + "/" + dir)
			pointerDirs = []string{"pr-logs/directory/" + presubmitJob, "pr-logs/pull/kubernetes_kubernetes/" + strconv.Itoa(s.pr) + "/" + presubmitJob}
		} else {
			pointerDirs = []string{"logs/" + s.job()}
		}
		for _, d := range pointerDirs {
			if cur, ok := newest[d]; !ok || cur.spec.start.Before(s.start) {
				newest[d] = sum
			}
		}
	}
	for d, s := range newest {
		files[d+"/latest-build.txt"] = []byte(s.buildID)
	}
	sort.Slice(sums, func(i, j int) bool { return sums[i].dir < sums[j].dir })
	files["README.md"] = readme(sums)
	return files
}
