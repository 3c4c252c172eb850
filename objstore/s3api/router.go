package s3api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
)

type handlerFunc func(ctx context.Context, rq *request) error

// unimplemented lists the sub-resources of S3 that this server does not
// serve yet; a request naming one answers NotImplemented.
var unimplemented = []string{
	"accelerate", "analytics", "attributes", "intelligent-tiering",
	"inventory", "logging", "metadataTable", "metrics",
	"requestPayment", "torrent", "website", "renameObject",
}

// bucketConfigs maps the bucket sub-resources that hold one configuration
// document to their handlers by method. Each feature serves its own in
// its own file.
func (s *Server) newBucketConfigs() map[string]map[string]handlerFunc {
	return map[string]map[string]handlerFunc{
		"encryption":        {http.MethodPut: s.putBucketEncryption, http.MethodGet: s.getBucketEncryption, http.MethodDelete: s.deleteBucketEncryption},
		"policy":            {http.MethodPut: s.putBucketPolicy, http.MethodGet: s.getBucketPolicy, http.MethodDelete: s.deleteBucketPolicy},
		"policyStatus":      {http.MethodGet: s.getBucketPolicyStatus},
		"publicAccessBlock": {http.MethodPut: s.putPublicAccessBlock, http.MethodGet: s.getPublicAccessBlock, http.MethodDelete: s.deletePublicAccessBlock},
		"ownershipControls": {http.MethodPut: s.putOwnershipControls, http.MethodGet: s.getOwnershipControls, http.MethodDelete: s.deleteOwnershipControls},
		"cors":              {http.MethodPut: s.putBucketCors, http.MethodGet: s.getBucketCors, http.MethodDelete: s.deleteBucketCors},
		"object-lock":       {http.MethodPut: s.putObjectLockConfiguration, http.MethodGet: s.getObjectLockConfiguration},
		"notification":      {http.MethodPut: s.putBucketNotification, http.MethodGet: s.getBucketNotification},
		"lifecycle":         {http.MethodPut: s.putBucketLifecycle, http.MethodGet: s.getBucketLifecycle, http.MethodDelete: s.deleteBucketLifecycle},
		"replication":       {http.MethodPut: s.putBucketReplication, http.MethodGet: s.getBucketReplication, http.MethodDelete: s.deleteBucketReplication},
	}
}

// objectSubresources maps the object sub-resources of the bucket features
// to their handlers by method.
func (s *Server) newObjectSubresources() map[string]map[string]handlerFunc {
	return map[string]map[string]handlerFunc{
		"retention":  {http.MethodPut: s.putObjectRetention, http.MethodGet: s.getObjectRetention},
		"legal-hold": {http.MethodPut: s.putObjectLegalHold, http.MethodGet: s.getObjectLegalHold},
		"restore":    {http.MethodPost: s.restoreObject},
		"select":     {http.MethodPost: s.selectObjectContent},
	}
}

// subresource finds the handler of a feature sub-resource the request
// names: found tells whether it names one at all, h is nil when the
// method is not one the sub-resource answers.
func subresource(rq *request, table map[string]map[string]handlerFunc) (h handlerFunc, found bool) {
	for name, byMethod := range table {
		if rq.query.Has(name) {
			return byMethod[rq.r.Method], true
		}
	}
	return nil, false
}

// handler picks the operation a request names.
func (s *Server) handler(rq *request) (handlerFunc, error) {
	for _, sub := range unimplemented {
		if rq.query.Has(sub) {
			return nil, fmt.Errorf("%s ?%s: %w", rq.r.Method, sub, objstore.ErrNotImplemented)
		}
	}
	var h handlerFunc
	switch {
	case rq.bucket == "":
		h = s.serviceHandler(rq)
	case rq.key == "":
		if sh, found := subresource(rq, s.bucketSub); found {
			h = sh
		} else {
			h = s.bucketHandler(rq)
		}
	default:
		if sh, found := subresource(rq, s.objectSub); found {
			h = sh
		} else {
			h = s.objectHandler(rq)
		}
	}
	if h == nil {
		return nil, fmt.Errorf("%s %s: %w", rq.r.Method, rq.r.URL.Path, objstore.ErrMethodNotAllowed)
	}
	return h, nil
}

func (s *Server) serviceHandler(rq *request) handlerFunc {
	if rq.r.Method == http.MethodGet {
		return s.listBuckets
	}
	return nil
}

func (s *Server) bucketHandler(rq *request) handlerFunc {
	q := rq.query
	switch rq.r.Method {
	case http.MethodPut:
		switch {
		case q.Has("versioning"):
			return s.putBucketVersioning
		case q.Has("tagging"):
			return s.putBucketTagging
		case q.Has("acl"):
			return s.putACL
		default:
			return s.createBucket
		}
	case http.MethodGet:
		switch {
		case q.Has("versioning"):
			return s.getBucketVersioning
		case q.Has("location"):
			return s.getBucketLocation
		case q.Has("tagging"):
			return s.getBucketTagging
		case q.Has("acl"):
			return s.getACL
		case q.Has("versions"):
			return s.listObjectVersions
		case q.Has("uploads"):
			return s.listMultipartUploads
		case q.Get("list-type") == "2":
			return s.listObjectsV2
		default:
			return s.listObjectsV1
		}
	case http.MethodHead:
		return s.headBucket
	case http.MethodDelete:
		if q.Has("tagging") {
			return s.deleteBucketTagging
		}
		return s.deleteBucket
	case http.MethodPost:
		if q.Has("delete") {
			return s.deleteObjects
		}
	}
	return nil
}

func (s *Server) objectHandler(rq *request) handlerFunc {
	q := rq.query
	copySource := rq.r.Header.Get("x-amz-copy-source") != ""
	switch rq.r.Method {
	case http.MethodPut:
		switch {
		case q.Has("uploadId") && copySource:
			return s.uploadPartCopy
		case q.Has("uploadId"):
			return s.uploadPart
		case q.Has("tagging"):
			return s.putObjectTagging
		case q.Has("acl"):
			return s.putACL
		case copySource:
			return s.copyObject
		default:
			return s.putObject
		}
	case http.MethodGet:
		switch {
		case q.Has("uploadId"):
			return s.listParts
		case q.Has("tagging"):
			return s.getObjectTagging
		case q.Has("acl"):
			return s.getACL
		default:
			return s.getObject
		}
	case http.MethodHead:
		return s.headObject
	case http.MethodDelete:
		switch {
		case q.Has("uploadId"):
			return s.abortMultipartUpload
		case q.Has("tagging"):
			return s.deleteObjectTagging
		default:
			return s.deleteObject
		}
	case http.MethodPost:
		switch {
		case q.Has("uploads"):
			return s.createMultipartUpload
		case q.Has("uploadId"):
			return s.completeMultipartUpload
		}
	}
	return nil
}
