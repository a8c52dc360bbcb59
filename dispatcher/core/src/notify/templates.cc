#include "anding/core/notify/templates.h"

#include <array>
#include <utility>

#include "anding/common/strings.h"

namespace anding::core::notify {
namespace {

struct Builtin {
  std::string_view kind;
  std::string_view zh;
  std::string_view en;
};

// Acknowledgement hints name the reply the phone must send ("1" or "收到").
constexpr std::array<Builtin, 8> kBuiltins = {{
    {"special_report", "【安定·专报】{unit}：{text} 请回复1或“收到”确认。编号{id}",
     "[Anding special report] {unit}: {text} Reply 1 to acknowledge. #{id}"},
    {"dispatch_order", "【安定·出警令】{text} 回复1确认，到达现场后回复“到达”。编号{id}",
     "[Anding dispatch order] {text} Reply 1 to acknowledge, reply ARRIVED on scene. #{id}"},
    {"deadline_warning", "【安定·时限预警】{unit}：{text} 请回复1确认。编号{id}",
     "[Anding deadline warning] {unit}: {text} Reply 1 to acknowledge. #{id}"},
    {"deadline_breach", "【安定·超时】{unit}：{text} 编号{id}",
     "[Anding deadline breach] {unit}: {text} #{id}"},
    {"agent_offline", "【安定·单位离线】{unit}：{text} 请回复1确认。编号{id}",
     "[Anding unit offline] {unit}: {text} Reply 1 to acknowledge. #{id}"},
    {"storage_failure", "【安定·存储故障】{text} 编号{id}",
     "[Anding storage failure] {text} #{id}"},
    {"no_rule", "【安定·无适用时限规则】{unit}：{text} 编号{id}",
     "[Anding no deadline rule] {unit}: {text} #{id}"},
    {"test", "【安定·测试】{text} 编号{id}", "[Anding test] {text} #{id}"},
}};

constexpr std::array<std::string_view, 5> kPlaceholders = {"text", "unit", "reference", "kind",
                                                           "id"};

bool KnownPlaceholder(std::string_view name) {
  for (std::string_view known : kPlaceholders) {
    if (known == name) return true;
  }
  return false;
}

}  // namespace

std::string DefaultTemplate(std::string_view kind, std::string_view language) {
  const bool english = language == "en";
  for (const Builtin& builtin : kBuiltins) {
    if (builtin.kind == kind) return std::string(english ? builtin.en : builtin.zh);
  }
  return english ? "[Anding] {text} #{id}" : "【安定】{text} 编号{id}";
}

Result<std::string> RenderTemplate(std::string_view pattern,
                                   const std::map<std::string, std::string>& fields) {
  std::string out;
  out.reserve(pattern.size() + 64);
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
      out += '{';
      ++i;
    } else if (c == '}' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
      out += '}';
      ++i;
    } else if (c == '{') {
      const size_t close = pattern.find('}', i);
      if (close == std::string_view::npos) {
        return InvalidArgumentError(StrCat("unclosed '{' at byte ", i));
      }
      const std::string name(pattern.substr(i + 1, close - i - 1));
      if (!KnownPlaceholder(name)) {
        return InvalidArgumentError(StrCat("unknown placeholder {", name,
                                           "}: use {text}, {unit}, {reference}, {kind} or {id}"));
      }
      if (auto it = fields.find(name); it != fields.end()) out += it->second;
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

Status CheckTemplate(std::string_view pattern) { return RenderTemplate(pattern, {}).status(); }

}  // namespace anding::core::notify
