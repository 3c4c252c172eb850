package main

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// serverVsEngine are the server suite's contenders: a client of the S3
// server, and the engine the server serves, called directly. Both sides
// work on the same objects.
type serverVsEngine struct {
	server *sdkClient
	engine objstore.Store
}

func (c *serverVsEngine) puts(data []byte) (op, op) {
	return c.server.putOp(data), storePut(c.engine, data)
}

func (c *serverVsEngine) gets(bufs [][]byte) (op, op) {
	return c.server.getOp(bufs), storeGet(c.engine, bufs)
}

// fillOne writes the object through the engine when it is missing or of
// another size: the sides share it.
func (c *serverVsEngine) fillOne(ctx context.Context, w int, s int64, data []byte) error {
	info, err := c.engine.HeadObject(ctx, benchBucket, slotKey(w, s), objstore.GetOptions{})
	if err == nil && info.Size == int64(len(data)) {
		return nil
	}
	return putKey(ctx, c.engine, slotKey(w, s), data)
}

// verifyKey is the object verify writes.
const verifyKey = "verify"

// verify writes data through each side and reads it back through the
// other.
func (c *serverVsEngine) verify(ctx context.Context, data []byte) error {
	if err := c.server.put(ctx, verifyKey, data); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	if err := readBack(ctx, c.engine, verifyKey, data); err != nil {
		return fmt.Errorf("engine, of what the server stored: %w", err)
	}
	if err := putKey(ctx, c.engine, verifyKey, data); err != nil {
		return fmt.Errorf("engine: %w", err)
	}
	if err := c.server.readBack(ctx, verifyKey, data); err != nil {
		return fmt.Errorf("server, of what the engine stored: %w", err)
	}
	if _, err := c.engine.DeleteObject(ctx, benchBucket, verifyKey, objstore.DeleteOptions{}); err != nil {
		return fmt.Errorf("delete %s: %w", verifyKey, err)
	}
	return nil
}

// check reads the first object back through both sides.
func (c *serverVsEngine) check(ctx context.Context, data []byte) error {
	if err := c.server.readBack(ctx, slotKey(0, 0), data); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	if err := readBack(ctx, c.engine, slotKey(0, 0), data); err != nil {
		return fmt.Errorf("engine: %w", err)
	}
	return nil
}
