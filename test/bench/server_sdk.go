package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// sdkClient is the server suite's load generator: aws-sdk-go-v2's S3
// client, called directly (cairn's objstore/s3client adds header parsing
// to every call that the engine side does not pay), and the HTTP client
// it sends with.
type sdkClient struct {
	s3   *s3.Client
	http *http.Client
}

// newSDKClient returns a client of the S3 endpoint whose HTTP client keeps
// an idle connection for each of workers concurrent calls, so that no
// call waits for a new connection once each worker has one. It signs
// headers with SigV4; bodies go as UNSIGNED-PAYLOAD unless signedPayload.
// One attempt per call: a failure is not hidden by a retry.
func newSDKClient(endpoint string, workers int, signedPayload bool) (*sdkClient, error) {
	tr, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("default HTTP transport of type %T", http.DefaultTransport)
	}
	tr = tr.Clone()
	tr.Proxy = nil
	tr.MaxIdleConns = max(tr.MaxIdleConns, workers)
	tr.MaxIdleConnsPerHost = max(tr.MaxIdleConnsPerHost, workers)
	hc := &http.Client{Transport: tr}
	opts := s3.Options{
		Region:       benchRegion,
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(benchCredential.AccessKey, benchCredential.SecretKey, ""),
		HTTPClient:   hc,
		// No checksum the engine side is not asked for either.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		RetryMaxAttempts:           1,
	}
	if !signedPayload {
		opts.APIOptions = append(opts.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
	}
	return &sdkClient{s3: s3.New(opts), http: hc}, nil
}

// close drops the client's idle connections.
func (c *sdkClient) close() error {
	c.http.CloseIdleConnections()
	return nil
}

// put stores data as key.
func (c *sdkClient) put(ctx context.Context, key string, data []byte) error {
	_, err := c.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(benchBucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
	})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// open starts a GET of key; the caller reads the body and closes it.
func (c *sdkClient) open(ctx context.Context, key string) (io.ReadCloser, error) {
	out, err := c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(benchBucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", key, err)
	}
	return out.Body, nil
}

// putOp is a PUT of data through the client, to the slot the op names.
func (c *sdkClient) putOp(data []byte) op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		if err := c.put(ctx, slotKey(w, i), data); err != nil {
			return 0, err
		}
		return int64(len(data)), nil
	}
}

// getOp is a GET through the client of the slot the op names, its body
// read to the end through the worker's buffer, so that the connection
// goes back to the idle pool.
func (c *sdkClient) getOp(bufs [][]byte) op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		body, err := c.open(ctx, slotKey(w, i))
		if err != nil {
			return 0, err
		}
		defer body.Close()
		return drain(body, bufs[w])
	}
}

// readBack reads key through the client and fails unless it holds data.
func (c *sdkClient) readBack(ctx context.Context, key string, data []byte) error {
	body, err := c.open(ctx, key)
	if err != nil {
		return fmt.Errorf("read back: %w", err)
	}
	defer body.Close()
	return sameBytes(body, key, data)
}
