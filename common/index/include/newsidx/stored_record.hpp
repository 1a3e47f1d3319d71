// The stored record of an article: what the searcher displays, --show prints and snippets are
// made from (schema.hpp: the document data and two value slots).
#pragma once

#include <xapian.h>

#include <string>

namespace newsidx {

/// What the searcher displays and builds snippets from. Title, URL, path and body are the
/// document data (NUL-separated, versioned by the schema version); date and language are read
/// from their value slots, where they are kept once.
struct StoredRecord {
    std::string title;
    std::string date;  ///< YYYYMMDD
    std::string url;
    std::string path;
    std::string language;
    std::string body;  ///< paragraphs joined by '\n'

    /// The document data: title, URL, path and body.
    std::string encode() const;
    /// Reads the record of a document. Throws Error(SchemaMismatch) when its data is not a
    /// record of this schema.
    static StoredRecord of(const Xapian::Document& doc);
};

}  // namespace newsidx
