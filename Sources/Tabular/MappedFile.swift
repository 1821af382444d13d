import CMappedFile

/// A regular file's bytes through a read-only mapping of its pages (CMappedFile), which a load
/// reads in place: copying each block out of the system's file cache was a tenth of a load's
/// time, on the one core that then waited for it. Pages are dropped from the process's memory
/// once read (`release`), so a load holds no more of the file than a copied block would. A page
/// that cannot be read (past the end of a file cut shorter while mapped, or a failed disk read)
/// reads as zeros and says so (`lostPart`), where it would otherwise end the process with SIGBUS.
final class MappedFile: @unchecked Sendable {
    private var file: MSHMappedFile

    /// The `length` bytes of the open file `descriptor`, or nil where they cannot be mapped (an
    /// empty file, a file system without mappings), for the reader to copy instead.
    init?(descriptor: Int32, length: Int) {
        var file = MSHMappedFile()
        guard length > 0, msh_map_file(descriptor, length, &file) == 0 else { return nil }
        self.file = file
    }

    deinit { msh_unmap_file(&file) }

    /// The file's bytes as they were long when it was mapped.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: file.bytes, count: file.length) }

    /// Whether part of the file was lost: a page could not be read (past the end of a file cut
    /// shorter meanwhile, or a disk read that failed: it read as zeros), or the file is now
    /// shorter than when it was mapped (its last page reads as zeros past the new end, unfaulted).
    var lostPart: Bool { msh_mapped_file_lost_part(&file) != 0 }

    /// Drops the pages wholly within `range` from the process's memory (not from the file cache).
    func release(_ range: Range<Int>) { msh_mapped_file_release(&file, range.lowerBound, range.upperBound) }
}
