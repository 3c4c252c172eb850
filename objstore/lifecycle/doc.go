// Package lifecycle holds a bucket's lifecycle rules and applies them.
//
// A configuration is S3's LifecycleConfiguration document: rules with a
// filter (prefix, tags, object size) and actions (transitions to colder
// storage classes, expiration of current versions and of expired delete
// markers, noncurrent-version transitions and expiration, abort of stale
// multipart uploads). Parse reads and validates one with S3's rules and
// errors; Configuration.Evaluate decides what a rule does to one version
// at a given time.
//
// A Manager runs the rules over a store: Run scans the buckets that have
// rules at an interval and applies what is due, completes restores of
// archived versions (RestoreObject) once their retrieval time has passed,
// and publishes the events of its work. Time is counted in lifecycle
// days, 24 hours unless shortened for tests and demos, so a rule of
// "Days: 30" can be watched firing in seconds.
package lifecycle
