// The process's file-descriptor budget: RLIMIT_NOFILE and the kernel's descriptor table.
#pragma once

#include <cstdint>

namespace servebench {

// Lifts the soft RLIMIT_NOFILE to the hard limit. Returns the soft limit now in force, or -1
// when it is unlimited or cannot be read.
int64_t RaiseFileLimit();

// Grows the kernel's descriptor table so that descriptors up to `count` - 1 need no further
// growth (capped by the soft limit; returns the size reserved, 0 when nothing was done).
//
// Why: the table doubles when a descriptor past its size is opened (64, 128, ..., 1024, 2048),
// and in a process with more than one thread each doubling waits for an RCU grace period. On
// the 2-core test VM that stalled the client's event loop (and serve-sim's accept loop) for
// 10-30 ms at about 256, 512 and 1,024 connections, in the middle of a measured phase.
int64_t ReserveDescriptorTable(int64_t count);

}  // namespace servebench
