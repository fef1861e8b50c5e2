package logdiff

import (
	"errors"
	"hash/maphash"
	"sync"
)

// keySeed makes key hashes; fixed for the life of the process so keys of
// different logs compare.
var keySeed = maphash.MakeSeed()

func hashKey(k []byte) uint64 { return maphash.Bytes(keySeed, k) }

// maxIDs bounds the distinct keys of one comparison: ids are int32.
const maxIDs = 1<<31 - 1

// errTooManyKeys is returned when the logs of one comparison hold more
// distinct keys than ids can number.
var errTooManyKeys = errors.New("more distinct lines than logdiff can number (2^31)")

// interner gives each distinct key hash of a comparison a dense id, shared
// by all its logs, so that a log is an []int32 per line instead of a hash
// per line, and count tables are arrays indexed by id.
//
// The logs are read in parallel and share one table: each reader hands
// over its hashes in batches (internBatch lines), which keeps the lock out
// of the per-line path. The table is an open-addressing hash set of ids
// (linear probing, at most 3/4 full) over the hashes kept by id: about
// 8 + 4/0.56 ≈ 15 bytes per distinct key, and nothing per repeated line.
// Ids depend on the order the readers reach the lock; nothing the
// comparison reports depends on id values, only on their equality.
type interner struct {
	mu     sync.Mutex
	hashes paged[uint64] // hashes.at(id) is the hash of key id
	slots  []uint32      // id+1 of the hash placed here; 0 for a free slot
}

const internBatch = 4096

func newInterner() *interner { return &interner{slots: make([]uint32, 1024)} }

// len is the number of ids given so far.
func (t *interner) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.hashes.len()
}

// ids sets ids[i] to the id of hs[i], giving new hashes new ids.
func (t *interner) ids(hs []uint64, ids []int32) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, h := range hs {
		id, err := t.id(h)
		if err != nil {
			return err
		}
		ids[i] = id
	}
	return nil
}

func (t *interner) id(h uint64) (int32, error) {
	mask := uint64(len(t.slots) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		s := t.slots[j]
		if s == 0 {
			n := t.hashes.len()
			if n >= maxIDs {
				return 0, errTooManyKeys
			}
			t.hashes.append(h)
			t.slots[j] = uint32(n + 1)
			if 4*(n+1) > 3*len(t.slots) {
				t.grow()
			}
			return int32(n), nil
		}
		if t.hashes.at(int(s-1)) == h {
			return int32(s - 1), nil
		}
	}
}

func (t *interner) grow() {
	t.slots = make([]uint32, 2*len(t.slots))
	mask := uint64(len(t.slots) - 1)
	for id := range t.hashes.len() {
		j := t.hashes.at(id) & mask
		for t.slots[j] != 0 {
			j = (j + 1) & mask
		}
		t.slots[j] = uint32(id + 1)
	}
}
