// Package fetch turns what a user pastes (a Prow, gcsweb or GCS URL, a gs://
// path, a local file or a directory laid out like a bucket) or a job name into
// local files of a failing run and its passing baselines, with their metadata.
//
// The flow is Detect (text to a canonical Source), OpenStore (a Source to a
// Store: a bucket, a directory or a web server), then a Fetcher on that store:
// Resolve (what the source names: a job, a build, a file), Select (the failing
// run and the passing runs to compare it with, each with a reason), and
// Materialize (download to local files, through a Cache of finished runs).
// The Google Cloud Storage backend lives in the gcs sub-package so that the
// storage client is linked only into programs that read buckets.
package fetch
