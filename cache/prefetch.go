package cache

// Prefetch starts fetching the blocks of [off, off+n) of the object version
// obj (size bytes in all) in the background, so that a later ReadAt hits.
// Blocks already cached or being fetched are skipped, runs of missing
// blocks are split into range fetches of at most 8 MiB that run in
// parallel (at most 8 at once), and requests beyond a bounded queue are
// dropped. Fetches use a context that Close cancels; Close waits for them.
func (c *Cache) Prefetch(obj ObjectID, size int64, off, n int64, fetch Fetcher) {
	off = max(off, 0)
	if n <= 0 || off >= size || !c.begin() {
		return
	}
	defer c.wg.Done()
	end := off + min(n, size-off)
	var miss []ref
	for i := off / c.bs; i <= (end-1)/c.bs; i++ {
		if r := c.ref(obj, size, i); !c.present(r) {
			miss = append(miss, r)
		}
	}
	calls, owned := c.fl.claim(names(miss), false)
	var mine []flight
	for i, r := range miss {
		switch {
		case !owned[i]:
		case c.present(r): // stored between the check and the claim
			c.fl.finish(r.name, calls[i], nil, errRetry)
		default:
			mine = append(mine, flight{r, calls[i]})
		}
	}
	for _, run := range runs(mine, int(max(prefetchChunk/c.bs, 1))) {
		c.spawn(obj, size, run, fetch)
	}
}

// present reports whether a tier holds a block, without reading it.
func (c *Cache) present(r ref) bool {
	if c.mem != nil {
		if c.fresh.has(r.name) || c.mem.has(r.name) {
			return true
		}
	}
	return c.disk != nil && c.disk.has(r.diskID())
}

// spawn fetches a run in the background, or gives it up when the queue is
// full. The caller holds a begin.
func (c *Cache) spawn(obj ObjectID, size int64, run []flight, fetch Fetcher) {
	select {
	case c.pending <- struct{}{}:
	default:
		for _, f := range run {
			c.fl.finish(f.r.name, f.cl, nil, errRetry)
		}
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer func() { <-c.pending }()
		select {
		case c.workers <- struct{}{}:
		case <-c.bg.Done():
			for _, f := range run {
				c.fl.finish(f.r.name, f.cl, nil, c.bg.Err())
			}
			return
		}
		defer func() { <-c.workers }()
		if err := c.fetchRun(c.bg, obj, size, run, fetch, true); err != nil {
			c.log.Debug("cache: prefetch failed", "bucket", obj.Bucket, "key", obj.Key, "err", err)
		}
	}()
}
