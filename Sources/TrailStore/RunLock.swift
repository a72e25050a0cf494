import Foundation

/// The exclusive lock a scan holds on a state store for its whole run, so two scans never read the same new files.
///
/// An `flock` on `<store>.lock`: the kernel releases it when the process ends, even by SIGKILL, so a killed run
/// never leaves the store locked.
public final class RunLock: @unchecked Sendable {
    private let descriptor: Int32

    /// Takes the lock, waiting up to `wait` seconds for another run to finish.
    /// - Throws: ``StoreError`` (`busy`) naming the store if the other run does not finish in time.
    public init(store path: String, wait: TimeInterval) throws(StoreError) {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(.cannotOpen, "cannot create \(lockPath): \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw StoreError(
                    .busy,
                    "\(path) is in use by another keytrail scan (waited \(String(format: "%g", wait)) s); let it finish, or give a "
                        + "longer --state-wait")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
