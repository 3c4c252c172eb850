package policy

// Effect is what a statement does to the requests it matches.
type Effect string

// The two effects a statement can have.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Policy is a parsed policy document.
type Policy struct {
	// Version is the policy language version: "2012-10-17" (the default
	// of documents that name none is "2008-10-17", which has no policy
	// variables).
	Version string
	// ID is the document's optional Id.
	ID string
	// Statements are the document's statements in order.
	Statements []Statement
}

// Statement is one statement of a policy.
type Statement struct {
	// Sid is the optional statement ID.
	Sid    string
	Effect Effect
	// Principal is who the statement is about; nil in identity policies.
	// NotPrincipal, when set, makes it about everybody but them.
	Principal, NotPrincipal *Principal
	// Actions or NotActions (exactly one is set) are action patterns
	// such as "s3:Get*".
	Actions, NotActions []string
	// Resources or NotResources (exactly one is set) are ARN patterns.
	Resources, NotResources []string
	// Conditions must all hold for the statement to apply.
	Conditions []Condition
}

// Principal is the value of a Principal or NotPrincipal element.
type Principal struct {
	// Any is "*" (or {"AWS": "*"}): everyone, anonymous requests too.
	Any bool
	// AWS are principal ARNs: an account's root
	// (arn:aws:iam::123456789012:root, also written 123456789012), a
	// user or a role.
	AWS []string
	// Others are principals of other kinds (Service, Federated,
	// CanonicalUser), kept so they never match by accident.
	Others []string
}

// Version2012 is the current policy language version.
const Version2012 = "2012-10-17"

// version2008 is the old one, the default of documents that name none.
const version2008 = "2008-10-17"
