#include "anding/common/config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "anding/common/strings.h"

namespace anding {

struct ConfigDocument::Context {
  std::string file;
  std::string directory;
  std::shared_ptr<YAML::Node> root;
  struct MapRecord {
    std::shared_ptr<YAML::Node> node;
    std::string path;
    std::set<std::string, std::less<>> read;
  };
  // Every mapping handed out, with the keys read from it, found by the
  // mapping's position in the file.
  std::vector<MapRecord> maps;
  std::map<int, size_t> map_by_position;
  std::vector<std::string> errors;

  std::string Location(const YAML::Mark& mark) const {
    if (mark.is_null()) return file;
    return StrCat(file, ":", mark.line + 1, ":", mark.column + 1);
  }
  MapRecord& RecordFor(const std::shared_ptr<YAML::Node>& node, const std::string& path) {
    const int position = node->Mark().is_null() ? -1 : node->Mark().pos;
    if (position >= 0) {
      if (auto it = map_by_position.find(position); it != map_by_position.end()) {
        return maps[it->second];
      }
      map_by_position.emplace(position, maps.size());
    }
    maps.push_back(MapRecord{node, path, {}});
    return maps.back();
  }
};

namespace {

std::string Display(std::string_view path) {
  return path.empty() ? std::string("(top level)") : std::string(path);
}

}  // namespace

ConfigDocument::ConfigDocument(std::unique_ptr<Context> context) : context_(std::move(context)) {}
ConfigDocument::ConfigDocument(ConfigDocument&&) noexcept = default;
ConfigDocument& ConfigDocument::operator=(ConfigDocument&&) noexcept = default;
ConfigDocument::~ConfigDocument() = default;

Result<ConfigDocument> ConfigDocument::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError(StrCat(path, ": cannot read configuration file"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto context = std::make_unique<Context>();
  context->file = path;
  context->directory = std::filesystem::absolute(path).parent_path().string();
  return Parse(std::move(context), buffer.str());
}

Result<ConfigDocument> ConfigDocument::LoadString(std::string_view text, const std::string& name) {
  auto context = std::make_unique<Context>();
  context->file = name;
  context->directory = std::filesystem::current_path().string();
  return Parse(std::move(context), text);
}

Result<ConfigDocument> ConfigDocument::Parse(std::unique_ptr<Context> context,
                                             std::string_view text) {
  try {
    context->root = std::make_shared<YAML::Node>(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(StrCat(context->Location(e.mark), ": YAML syntax error: ", e.msg));
  }
  return ConfigDocument(std::move(context));
}

ConfigNode ConfigDocument::root() {
  ConfigNode node(context_.get(), context_->root, "");
  if (!context_->root->IsMap()) {
    node.Error(context_->root->IsNull() ? "the file is empty; expected a mapping of settings"
                                        : "expected a mapping of settings at the top level");
  }
  return node;
}

const std::string& ConfigDocument::directory() const { return context_->directory; }

Status ConfigDocument::Finish() {
  std::vector<std::string> errors = context_->errors;
  for (const auto& record : context_->maps) {
    if (!record.node->IsMap()) continue;
    for (const auto& entry : *record.node) {
      std::string key;
      try {
        key = entry.first.as<std::string>();
      } catch (const YAML::Exception&) {
        key = "?";
      }
      if (record.read.count(key) == 0) {
        const std::string path = record.path.empty() ? key : StrCat(record.path, ".", key);
        errors.push_back(
            StrCat(context_->Location(entry.first.Mark()), ": ", path, ": unknown key"));
      }
    }
  }
  if (errors.empty()) return OkStatus();
  return InvalidArgumentError(fmt::format("{}", fmt::join(errors, "\n")));
}

ConfigNode::ConfigNode(ConfigDocument::Context* context, std::shared_ptr<YAML::Node> node,
                       std::string path)
    : context_(context), node_(std::move(node)), path_(std::move(path)) {
  if (node_->IsMap()) context_->RecordFor(node_, path_);
}

std::string ConfigNode::location() const { return context_->Location(node_->Mark()); }

std::string ConfigNode::ChildPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : StrCat(path_, ".", key);
}

void ConfigNode::MarkRead(std::string_view key) {
  if (node_->IsMap()) context_->RecordFor(node_, path_).read.emplace(key);
}

bool ConfigNode::Has(std::string_view key) const {
  return node_->IsMap() && (*node_)[std::string(key)].IsDefined() &&
         !(*node_)[std::string(key)].IsNull();
}

std::optional<ConfigNode> ConfigNode::Child(std::string_view key) {
  MarkRead(key);
  if (!node_->IsMap()) return std::nullopt;
  YAML::Node child = (*node_)[std::string(key)];
  if (!child.IsDefined() || child.IsNull()) return std::nullopt;
  return ConfigNode(context_, std::make_shared<YAML::Node>(child), ChildPath(key));
}

void ConfigNode::Error(std::string_view key, std::string_view message) {
  if (node_->IsMap()) {
    YAML::Node child = (*node_)[std::string(key)];
    if (child.IsDefined()) {
      context_->errors.push_back(
          StrCat(context_->Location(child.Mark()), ": ", ChildPath(key), ": ", message));
      return;
    }
  }
  context_->errors.push_back(StrCat(location(), ": ", ChildPath(key), ": ", message));
}

void ConfigNode::Error(std::string_view message) {
  context_->errors.push_back(StrCat(location(), ": ", Display(path_), ": ", message));
}

ConfigNode ConfigNode::Map(std::string_view key) {
  auto child = Child(key);
  if (!child) {
    Error(StrCat("missing required key '", key, "'"));
    return ConfigNode(context_, std::make_shared<YAML::Node>(YAML::NodeType::Map), ChildPath(key));
  }
  if (!child->node_->IsMap()) child->Error("expected a mapping");
  return *child;
}

std::optional<ConfigNode> ConfigNode::OptionalMap(std::string_view key) {
  auto child = Child(key);
  if (child && !child->node_->IsMap()) {
    child->Error("expected a mapping");
    return std::nullopt;
  }
  return child;
}

std::vector<ConfigNode> ConfigNode::List(std::string_view key) {
  std::vector<ConfigNode> items;
  auto child = Child(key);
  if (!child) return items;
  if (!child->node_->IsSequence()) {
    child->Error("expected a list");
    return items;
  }
  for (size_t i = 0; i < child->node_->size(); ++i) {
    items.push_back(ConfigNode(context_, std::make_shared<YAML::Node>((*child->node_)[i]),
                               StrCat(child->path_, "[", i, "]")));
  }
  return items;
}

std::vector<std::string> ConfigNode::Strings(std::string_view key) {
  std::vector<std::string> values;
  for (auto& item : List(key)) values.push_back(item.As<std::string>());
  return values;
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::Entries() {
  std::vector<std::pair<std::string, ConfigNode>> entries;
  if (!node_->IsMap()) {
    Error("expected a mapping");
    return entries;
  }
  for (const auto& entry : *node_) {
    std::string key;
    try {
      key = entry.first.as<std::string>();
    } catch (const YAML::Exception&) {
      Error("keys must be strings");
      continue;
    }
    MarkRead(key);
    entries.emplace_back(
        key, ConfigNode(context_, std::make_shared<YAML::Node>(entry.second), ChildPath(key)));
  }
  return entries;
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::Entries(std::string_view key) {
  auto child = Child(key);
  if (!child) return {};
  return child->Entries();
}

template <>
std::string ConfigNode::As<std::string>() {
  if (!node_->IsScalar()) {
    Error("expected a string");
    return {};
  }
  return node_->Scalar();
}

template <>
bool ConfigNode::As<bool>() {
  try {
    if (node_->IsScalar()) return node_->as<bool>();
  } catch (const YAML::Exception&) {
  }
  Error("expected true or false");
  return false;
}

template <>
int64_t ConfigNode::As<int64_t>() {
  try {
    if (node_->IsScalar()) return node_->as<int64_t>();
  } catch (const YAML::Exception&) {
  }
  Error("expected an integer");
  return 0;
}

template <>
uint32_t ConfigNode::As<uint32_t>() {
  const int64_t value = As<int64_t>();
  if (value < 0 || value > UINT32_MAX) {
    Error("expected a non-negative integer below 2^32");
    return 0;
  }
  return static_cast<uint32_t>(value);
}

template <>
int ConfigNode::As<int>() {
  const int64_t value = As<int64_t>();
  if (value < INT32_MIN || value > INT32_MAX) {
    Error("integer out of range");
    return 0;
  }
  return static_cast<int>(value);
}

template <>
double ConfigNode::As<double>() {
  try {
    if (node_->IsScalar()) return node_->as<double>();
  } catch (const YAML::Exception&) {
  }
  Error("expected a number");
  return 0;
}

template <>
Duration ConfigNode::As<Duration>() {
  if (!node_->IsScalar()) {
    Error("expected a duration such as 30s, 10m, 2h or 1h30m");
    return Duration{};
  }
  auto parsed = ParseDuration(node_->Scalar());
  if (!parsed.ok()) {
    Error(parsed.status().message());
    return Duration{};
  }
  return *parsed;
}

}  // namespace anding
