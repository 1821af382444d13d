// A file read through a read-only mapping of its pages rather than copied out of the system's
// file cache (a tenth of a load's time was that copy), guarded against the ways such a read
// fails where a copy would return an error: the file cut shorter while it is mapped, whose pages
// past its new end raise SIGBUS, as does a page whose disk read fails. Plain C because the guard
// is a signal handler.
#ifndef CMAPPEDFILE_H
#define CMAPPEDFILE_H

typedef struct {
    /// The file's first byte, or NULL when it is not mapped.
    const unsigned char *bytes;
    /// Its length when it was mapped.
    long length;
    /// Its entry in the guard's table.
    int guard;
    /// A descriptor of its own on the file, to see its size now.
    int descriptor;
} MSHMappedFile;

/// Maps the `length` bytes of the open file `descriptor` (length > 0) and guards them.
/// Returns 0, or an errno: the mapping's, or EMFILE when every guard entry is taken.
int msh_map_file(int descriptor, long length, MSHMappedFile *file);

/// Unmaps the file and frees its guard entry.
void msh_unmap_file(MSHMappedFile *file);

/// 1 when a page could not be read since the file was mapped (past the end of a file cut shorter
/// meanwhile, or a disk read that failed; it read as zeros), or the file is now shorter than it
/// was (its last page's bytes past the new end read as zeros, with no fault): what was read
/// cannot be trusted.
int msh_mapped_file_lost_part(const MSHMappedFile *file);

/// Drops the pages that lie wholly within bytes [from, to) from the process's memory (they stay
/// in the file cache and are mapped again if read again), so a file read front to back holds
/// no more of the process's memory than the part being read.
void msh_mapped_file_release(const MSHMappedFile *file, long from, long to);

#endif
