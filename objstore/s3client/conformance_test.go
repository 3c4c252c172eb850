package s3client_test

import (
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3client"
	"github.com/cairnfs/cairn/objstore/storetest"
)

// TestConformance runs the Store suite through the client, over loopback
// HTTP, against cairn's S3 server on the disk engine: one run that proves
// the client, the server and the engine together.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) objstore.Store {
		srv := startServer(t, serverConfig{})
		return newClient(t, s3client.Options{Endpoint: srv.URL})
	})
}
