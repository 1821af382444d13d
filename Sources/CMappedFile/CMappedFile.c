#include "CMappedFile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// The mappings being guarded: a fixed table, since the handler may take no lock and allocate
// nothing. An entry is taken by a compare-and-swap of its base from 0 to 1, and then holds a
// mapping once its end and then its base are set.
#define GUARD_ENTRIES 32
static _Atomic uintptr_t guarded_base[GUARD_ENTRIES];
static _Atomic uintptr_t guarded_end[GUARD_ENTRIES];
static volatile sig_atomic_t guarded_cut[GUARD_ENTRIES];

static struct sigaction previous_action;
static uintptr_t page_size;
static pthread_once_t guard_installed = PTHREAD_ONCE_INIT;
static int guard_error;

// A read of a guarded page that cannot be read (past the file's end, or its disk read failed):
// the page is replaced by one of zeros (a mapping over it; mmap is a plain system call, safe
// here), the file marked, and the read resumed. Any other SIGBUS goes to the handler that was there before (the Swift runtime's
// crash report, or the default ending): restored, it meets the faulting instruction run again,
// or, for a signal another process sent, the signal raised again.
static void on_bus_error(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int k = 0; k < GUARD_ENTRIES && info->si_code > 0; k++) {
        uintptr_t base = atomic_load(&guarded_base[k]);
        if (base <= 1 || address < base || address >= atomic_load(&guarded_end[k])) continue;
        void *page = (void *)(address & ~(page_size - 1));
        if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) break;
        guarded_cut[k] = 1;
        return;
    }
    sigaction(SIGBUS, &previous_action, NULL);
    if (info->si_code <= 0) raise(signal_number);
}

static void install_guard(void) {
    page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_bus_error;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGBUS, &action, &previous_action) != 0) guard_error = errno;
}

int msh_map_file(int descriptor, long length, MSHMappedFile *file) {
    file->bytes = NULL;
    file->length = 0;
    file->guard = -1;
    file->descriptor = -1;
    if (length <= 0) return EINVAL;
    pthread_once(&guard_installed, install_guard);
    if (guard_error) return guard_error;
    void *bytes = mmap(NULL, (size_t)length, PROT_READ, MAP_PRIVATE, descriptor, 0);
    if (bytes == MAP_FAILED) return errno;
    int own = fcntl(descriptor, F_DUPFD_CLOEXEC, 0);
    if (own < 0) {
        int error = errno;
        munmap(bytes, (size_t)length);
        return error;
    }
    uintptr_t base = (uintptr_t)bytes;
    for (int k = 0; k < GUARD_ENTRIES; k++) {
        uintptr_t free_entry = 0;
        if (atomic_compare_exchange_strong(&guarded_base[k], &free_entry, 1)) {
            guarded_cut[k] = 0;
            atomic_store(&guarded_end[k], base + (uintptr_t)length);
            atomic_store(&guarded_base[k], base);
            file->bytes = bytes;
            file->length = length;
            file->guard = k;
            file->descriptor = own;
            return 0;
        }
    }
    close(own);
    munmap(bytes, (size_t)length);
    return EMFILE;
}

void msh_unmap_file(MSHMappedFile *file) {
    if (file->bytes == NULL) return;
    // Unguarded first: the addresses may be mapped again, by anything, once unmapped.
    atomic_store(&guarded_base[file->guard], 0);
    munmap((void *)file->bytes, (size_t)file->length);
    close(file->descriptor);
    file->bytes = NULL;
}

int msh_mapped_file_lost_part(const MSHMappedFile *file) {
    if (file->bytes == NULL) return 0;
    if (guarded_cut[file->guard]) return 1;
    struct stat status;
    return fstat(file->descriptor, &status) == 0 && status.st_size < file->length;
}

void msh_mapped_file_release(const MSHMappedFile *file, long from, long to) {
    if (file->bytes == NULL) return;
    uintptr_t first = ((uintptr_t)file->bytes + (uintptr_t)from + page_size - 1) & ~(page_size - 1);
    uintptr_t last = ((uintptr_t)file->bytes + (uintptr_t)to) & ~(page_size - 1);
    if (to >= file->length) last = (uintptr_t)file->bytes + (uintptr_t)file->length;
    if (last > first) madvise((void *)first, last - first, MADV_DONTNEED);
}

