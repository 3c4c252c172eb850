package mount

// kernelReadahead is the read-ahead window asked of the kernel for the
// mount: it is also the largest read the kernel sends (MaxWrite allows
// requests that large). Linux caps a FUSE mount's window at its
// backing device's default (128 KiB) whatever the mount asks for, and
// sequential reads of cold files then cost a round trip per 128 KiB;
// raiseReadahead lifts that cap where the system allows it.
const kernelReadahead = 1 << 20
