package disk

import "context"

// GetBucketConfigs returns those of the bucket configurations named that
// the bucket has, by name, read together from one bucket record: what a
// request that needs several (access control's owner, policy and public
// access block) reads once. It fails with objstore.ErrNoSuchBucket.
func (s *Store) GetBucketConfigs(ctx context.Context, bucket string, names ...string) (map[string][]byte, error) {
	rec, err := s.readBucket(bucket)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(names))
	for _, name := range names {
		if doc, ok := rec.Configs[name]; ok {
			out[name] = []byte(doc)
		}
	}
	return out, nil
}
