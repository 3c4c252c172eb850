package iam

// builtinPolicies are the identity policies every store has, named as
// their AWS managed counterparts.
var builtinPolicies = map[string]string{
	"AmazonS3FullAccess": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
	"AmazonS3ReadOnlyAccess": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Action":["s3:Get*","s3:List*","s3:Describe*"],"Resource":"*"}]}`,
}

// BuiltinPolicies returns the names of the built-in identity policies.
func BuiltinPolicies() []string {
	return []string{"AmazonS3FullAccess", "AmazonS3ReadOnlyAccess"}
}
