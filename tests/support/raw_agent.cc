#include "support/raw_agent.h"

#include "anding/wire/codec.h"

namespace anding::testing {

RawAgent::RawAgent(zmq::context_t& context, const std::string& endpoint,
                   const std::string& server_key, const std::string& public_key,
                   const std::string& secret_key)
    : socket_(context, zmq::socket_type::dealer), ids_(clock_) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.set(zmq::sockopt::curve_serverkey, server_key);
  socket_.set(zmq::sockopt::curve_publickey, public_key);
  socket_.set(zmq::sockopt::curve_secretkey, secret_key);
  socket_.set(zmq::sockopt::sndhwm, 1000000);
  socket_.set(zmq::sockopt::rcvhwm, 1000000);
  socket_.connect(endpoint);
}

bool RawAgent::SendBytes(const std::string& bytes) {
  return socket_.send(zmq::buffer(bytes), zmq::send_flags::dontwait).has_value();
}

bool RawAgent::Send(const std::vector<v1::Envelope>& envelopes) {
  v1::Frame frame;
  for (const auto& envelope : envelopes) *frame.add_envelopes() = envelope;
  return SendBytes(wire::Encode(frame));
}

std::optional<v1::Frame> RawAgent::Receive(std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
  zmq::poll(&item, 1, timeout);
  if (!(item.revents & ZMQ_POLLIN)) return std::nullopt;
  zmq::message_t message;
  if (!socket_.recv(message, zmq::recv_flags::dontwait)) return std::nullopt;
  v1::Frame frame;
  if (!wire::Decode(message.to_string_view(), frame).ok()) return std::nullopt;
  return frame;
}

v1::Envelope RawAgent::MakeEarlyWarning(const std::string& unit, uint64_t sequence) {
  v1::Envelope envelope;
  envelope.set_message_id(ids_.Next());
  envelope.set_unit_id(unit);
  envelope.set_sequence(sequence);
  *envelope.mutable_sent_at() = wire::ToProto(clock_.Now());
  envelope.set_schema_version(wire::kSchemaVersion);
  auto* warning = envelope.mutable_early_warning();
  warning->set_summary("测试: 职工反映补偿金问题");
  warning->set_category_id("labour-contract-compensation");
  warning->set_persons(5);
  warning->set_level(v1::RISK_LEVEL_MEDIUM);
  return envelope;
}

std::optional<v1::Envelope> RawAgent::Exchange(const v1::Envelope& envelope,
                                               std::chrono::milliseconds timeout) {
  if (!Send({envelope})) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto frame = Receive(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
    if (!frame) continue;
    for (const auto& reply : frame->envelopes()) {
      if (reply.has_ack() && reply.ack().message_id() == envelope.message_id()) return reply;
      if (reply.has_nack() && (reply.nack().message_id() == envelope.message_id() ||
                               reply.nack().message_id().empty())) {
        return reply;
      }
    }
  }
  return std::nullopt;
}

}  // namespace anding::testing
