#include "anding/core/effects.h"

#include <iterator>

namespace anding::core {

std::string Actor::ToString() const {
  switch (kind) {
    case Kind::kAgent:
      return "agent:" + id;
    case Kind::kOperator:
      return "operator:" + id;
    case Kind::kSms:
      return "sms:" + id;
    case Kind::kSystem:
      break;
  }
  return "system";
}

std::optional<Actor> Actor::Parse(std::string_view text) {
  if (text == "system") return System();
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon + 1 == text.size()) return std::nullopt;
  const std::string_view kind = text.substr(0, colon);
  std::string id(text.substr(colon + 1));
  if (kind == "agent") return Agent(std::move(id));
  if (kind == "operator") return Operator(std::move(id));
  if (kind == "sms") return Sms(std::move(id));
  return std::nullopt;
}

namespace {
template <typename T>
void MoveAppend(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}
}  // namespace

void Effects::Append(Effects other) {
  MoveAppend(changed, other.changed);
  MoveAppend(notices, other.notices);
  MoveAppend(alerts, other.alerts);
  MoveAppend(orders, other.orders);
  MoveAppend(notifications, other.notifications);
  MoveAppend(events, other.events);
}

}  // namespace anding::core
