// Reading YAML configuration against a schema written in code.
//
// Every daemon describes its configuration by reading it through
// ConfigNode: required and optional keys with types. Mistakes are collected,
// not thrown, and ConfigDocument::Finish reports all of them at once, each
// naming file, line, column and the dotted key path:
//
//   dispatcher.yaml:12:3: link.endpoint: expected a string
//   dispatcher.yaml:3:1: storage: missing required key 'path'
//   dispatcher.yaml:20:5: regions[2].kindd: unknown key
//
// A key that the schema never read is an error (a typo must not silently
// fall back to a default). Thread-safety: none; parse on one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"

namespace YAML {
class Node;
}

namespace anding {

class ConfigNode;

// A parsed YAML file plus the errors found while reading it.
class ConfigDocument {
 public:
  // Parses `path`. NotFound if it cannot be read; InvalidArgument with
  // file:line:column on a YAML syntax error.
  [[nodiscard]] static Result<ConfigDocument> LoadFile(const std::string& path);
  // Parses `text` as if it were a file named `name` (for tests).
  [[nodiscard]] static Result<ConfigDocument> LoadString(std::string_view text,
                                                         const std::string& name);

  ConfigDocument(ConfigDocument&&) noexcept;
  ConfigDocument& operator=(ConfigDocument&&) noexcept;
  ~ConfigDocument();

  // The top-level mapping. An error is recorded if the file is not one.
  [[nodiscard]] ConfigNode root();
  // The directory the file is in, for resolving relative paths.
  [[nodiscard]] const std::string& directory() const;

  // OK, or InvalidArgument listing every error recorded by the nodes plus
  // every key that was never read.
  [[nodiscard]] Status Finish();

  struct Context;

 private:
  explicit ConfigDocument(std::unique_ptr<Context> context);
  static Result<ConfigDocument> Parse(std::unique_ptr<Context> context, std::string_view text);
  std::unique_ptr<Context> context_;
};

// A position in the document: a mapping, a list or a scalar. Reading a key
// marks it as known. Cheap to copy; valid while its ConfigDocument lives.
class ConfigNode {
 public:
  // Required key: records "missing required key" and returns T{} if absent.
  template <typename T>
  T Get(std::string_view key);
  // Optional key: `fallback` when absent.
  template <typename T>
  T Get(std::string_view key, T fallback);
  [[nodiscard]] bool Has(std::string_view key) const;

  // This node's own value (for list items and dynamic-key map entries).
  template <typename T>
  T As();

  // A required / optional nested mapping.
  [[nodiscard]] ConfigNode Map(std::string_view key);
  [[nodiscard]] std::optional<ConfigNode> OptionalMap(std::string_view key);
  // A list (absent = empty). Each element may be a mapping or a scalar.
  [[nodiscard]] std::vector<ConfigNode> List(std::string_view key);
  // A list of strings (absent = empty).
  [[nodiscard]] std::vector<std::string> Strings(std::string_view key);
  // Every (key, value) of a mapping whose keys are data, not schema (for
  // example a travel-time matrix keyed by region id). Marks them all read.
  [[nodiscard]] std::vector<std::pair<std::string, ConfigNode>> Entries();
  // Entries() of the mapping at `key` (absent = empty).
  [[nodiscard]] std::vector<std::pair<std::string, ConfigNode>> Entries(std::string_view key);

  // Records a validation error at `key` (its line, or this node's line if
  // the key is absent). Use for range and cross-reference checks.
  void Error(std::string_view key, std::string_view message);
  // Records a validation error at this node.
  void Error(std::string_view message);

  // Dotted path of this node, for example "regions[2]".
  [[nodiscard]] const std::string& path() const { return path_; }
  // "file:line:column" of this node.
  [[nodiscard]] std::string location() const;

 private:
  friend class ConfigDocument;
  ConfigNode(ConfigDocument::Context* context, std::shared_ptr<YAML::Node> node, std::string path);
  [[nodiscard]] std::optional<ConfigNode> Child(std::string_view key);
  [[nodiscard]] std::string ChildPath(std::string_view key) const;
  void MarkRead(std::string_view key);

  ConfigDocument::Context* context_;
  std::shared_ptr<YAML::Node> node_;
  std::string path_;
};

// Scalar conversions available to Get and As.
template <>
std::string ConfigNode::As<std::string>();
template <>
bool ConfigNode::As<bool>();
template <>
int64_t ConfigNode::As<int64_t>();
template <>
uint32_t ConfigNode::As<uint32_t>();
template <>
int ConfigNode::As<int>();
template <>
double ConfigNode::As<double>();
template <>
Duration ConfigNode::As<Duration>();

template <typename T>
T ConfigNode::Get(std::string_view key) {
  auto child = Child(key);
  if (!child) {
    Error(std::string("missing required key '") + std::string(key) + "'");
    return T{};
  }
  return child->As<T>();
}

template <typename T>
T ConfigNode::Get(std::string_view key, T fallback) {
  auto child = Child(key);
  if (!child) return fallback;
  return child->As<T>();
}

}  // namespace anding
