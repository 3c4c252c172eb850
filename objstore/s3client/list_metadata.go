package s3client

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cairnfs/cairn/objstore"
)

// ListOptions.WithMetadata asks the server for ListObjectsV2 with
// metadata=true, an extension cairn serve and MinIO answer with a
// UserMetadata element per object; plain S3 ignores the parameter. The
// SDK drops elements it does not know, so the raw page is kept and read
// again for them. A page whose every object carries the element reports
// WithMetadata; any other is a plain listing.

// listMetadataOption returns the client option that asks for metadata
// and keeps the raw answer in *raw.
func listMetadataOption(raw *[]byte) func(*s3.Options) {
	return func(o *s3.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			if err := st.Build.Add(middleware.BuildMiddlewareFunc("CairnListMetadataQuery", askListMetadata), middleware.After); err != nil {
				return err
			}
			return st.Deserialize.Add(keepListBody(raw), middleware.After)
		})
	}
}

// askListMetadata adds metadata=true to the request, before it is signed.
func askListMetadata(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
	if req, ok := in.Request.(*smithyhttp.Request); ok {
		q := req.URL.Query()
		q.Set("metadata", "true")
		req.URL.RawQuery = q.Encode()
	}
	return next.HandleBuild(ctx, in)
}

// keepListBody reads a successful answer whole into *raw and hands the
// SDK's decoder a copy.
func keepListBody(raw *[]byte) middleware.DeserializeMiddleware {
	return middleware.DeserializeMiddlewareFunc("CairnListMetadataBody", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		if err != nil {
			return out, md, err
		}
		resp, ok := out.RawResponse.(*smithyhttp.Response)
		if !ok || resp.StatusCode != http.StatusOK {
			return out, md, nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return out, md, fmt.Errorf("read listing: %w", err)
		}
		*raw = b
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return out, md, nil
	})
}

// listedMetadataXML is what a listing page says of its objects' metadata.
type listedMetadataXML struct {
	Contents []struct {
		Key          string `xml:"Key"`
		UserMetadata *struct {
			Items []struct {
				XMLName xml.Name
				Value   string `xml:",chardata"`
			} `xml:",any"`
		} `xml:"UserMetadata"`
	} `xml:"Contents"`
}

// addListedMetadata fills the metadata of res's objects from the raw page
// and reports whether every object had it.
func addListedMetadata(raw []byte, d decoder, res *objstore.ListResult) error {
	var page listedMetadataXML
	if err := xml.Unmarshal(raw, &page); err != nil {
		return fmt.Errorf("decode listing metadata: %w", err)
	}
	if len(page.Contents) != len(res.Objects) {
		return nil
	}
	for i, c := range page.Contents {
		key, err := d.name(&c.Key)
		if err != nil {
			return err
		}
		if c.UserMetadata == nil || key != res.Objects[i].Key {
			return nil
		}
	}
	for i, c := range page.Contents {
		o := &res.Objects[i]
		o.UserMetadata = map[string]string{}
		for _, it := range c.UserMetadata.Items {
			name := strings.ToLower(it.XMLName.Local)
			if user, ok := strings.CutPrefix(name, "x-amz-meta-"); ok {
				o.UserMetadata[user] = it.Value
			} else if name == "content-type" {
				o.ContentType = it.Value
			}
		}
	}
	res.WithMetadata = true
	return nil
}
