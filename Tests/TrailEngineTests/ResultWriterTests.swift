import Foundation
import Testing
import TrailEngine
import TrailTestSupport

@Suite("ResultWriter: whole files or nothing, devices and FIFOs in place")
struct ResultWriterTests {
    @Test("a file appears only on commit, replacing the old one")
    func atomicReplace() throws {
        let folder = Fixtures.temporaryFolder()
        let path = folder + "/report.json"
        Fixtures.write("old", to: path)
        let writer = try ResultWriter(path: path)
        try writer.write("new ")
        try writer.write("content")
        #expect(String(decoding: Fixtures.read(path), as: UTF8.self) == "old")
        try writer.commit()
        #expect(String(decoding: Fixtures.read(path), as: UTF8.self) == "new content")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["report.json"])
    }

    @Test("abandoning leaves the old file and no temporary behind")
    func abandon() throws {
        let folder = Fixtures.temporaryFolder()
        let path = folder + "/report.json"
        Fixtures.write("old", to: path)
        let writer = try ResultWriter(path: path)
        try writer.write("half")
        writer.abandon()
        #expect(String(decoding: Fixtures.read(path), as: UTF8.self) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["report.json"])
    }

    @Test("a FIFO is written in place, not replaced by a regular file")
    func fifo() throws {
        let path = Fixtures.temporaryFolder() + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        let reader = Thread {
            let fd = open(path, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 64)
            _ = read(fd, &buffer, 64)
            close(fd)
        }
        reader.start()
        let writer = try ResultWriter(path: path)
        try writer.write("through the pipe")
        try writer.commit()
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test("an unwritable destination is an error naming it")
    func unwritable() {
        #expect(throws: ResultWriter.WriteError.self) { try ResultWriter(path: "/nonexistent-folder/out.json") }
    }
}
