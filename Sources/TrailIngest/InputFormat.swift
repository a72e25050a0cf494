/// How the JSON of an input is laid out.
public enum InputFormat: String, Sendable, Hashable {
    /// `{"Records":[...]}` documents, as CloudTrail writes to S3 (`.json`, `.json.gz`). A file that turns out to
    /// hold a stream of event objects instead (a CloudTrail Lake export named `.json`) is read as such.
    case document
    /// One event object per line (`.jsonl`, `.ndjson`), as CloudTrail Lake and CloudWatch Logs exports write;
    /// a CloudWatch timestamp before the object is skipped, and a bad line is reported and skipped.
    case lines

    /// The format implied by a file name: lines for `.jsonl`/`.ndjson` (optionally `.gz`), else document.
    public static func guess(fromName name: String) -> InputFormat {
        var lowered = name.lowercased()
        if lowered.hasSuffix(".gz") { lowered.removeLast(3) }
        return lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") ? .lines : .document
    }
}
