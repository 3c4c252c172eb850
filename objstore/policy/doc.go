// Package policy reads AWS IAM policy documents — bucket policies and
// identity policies — and evaluates them as AWS does: an explicit Deny
// beats an Allow, which beats the implicit deny of a request nothing
// allows.
//
// Parse reads a document and reports what is wrong with one it refuses
// in the words of S3's MalformedPolicy errors. A Policy answers Evaluate
// for one Request: the action (s3:GetObject), the resource ARN
// (arn:aws:s3:::bucket/key), the principal and the condition context
// (aws:SourceIp, s3:prefix, …). Combining the bucket policy with the
// requester's identity policies, and the public access block, is the
// caller's business; IsPublic tells which policies grant public access.
package policy
