#include "agent_impl.h"

#include <filesystem>

#include "anding/common/strings.h"

namespace anding::agent {

Result<std::unique_ptr<Agent>> Agent::Create(boost::asio::io_context& io, Options options) {
  if (options.clock == nullptr) return InvalidArgumentError("Agent::Options.clock is required");
  AgentConfig& config = options.config;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return UnavailableError(
        StrCat("cannot create data_dir '", config.data_dir, "': ", ec.message()));
  }
  std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  ANDING_ASSIGN_OR_RETURN(auto keys, runtime::ReadKeyFile(config.secret_key_file, true));
  ANDING_ASSIGN_OR_RETURN(auto outbox, OutboxStore::Open(config.DatabasePath()));
  return std::unique_ptr<Agent>(
      new AgentImpl(io, *options.clock, std::move(config), std::move(keys), std::move(outbox)));
}

AgentImpl::AgentImpl(boost::asio::io_context& io, const Clock& clock, AgentConfig config,
                     runtime::CurveKeyPair keys, std::unique_ptr<OutboxStore> outbox)
    : config_(std::move(config)),
      keys_(std::move(keys)),
      outbox_(std::move(outbox)),
      scheduler_(io, clock),
      zmq_(1) {
  uplink_ = std::make_unique<Uplink>(
      io, zmq_, scheduler_, config_, keys_, *outbox_,
      [this](const std::string& message_id) { local_->OnSettled(message_id); });
  local_ = std::make_unique<LocalServer>(io, zmq_, clock, config_, *outbox_, *uplink_);
}

AgentImpl::~AgentImpl() {
  Stop();
  // The local server refers to the uplink; the uplink calls the server.
  local_.reset();
  uplink_.reset();
}

Status AgentImpl::Start() {
  // The local socket last: once it exists the daemon is ready for callers.
  ANDING_RETURN_IF_ERROR(uplink_->Start());
  return local_->Start();
}

void AgentImpl::Stop() {
  if (stopped_) return;
  stopped_ = true;
  uplink_->Stop();
  local_->Stop();
}

}  // namespace anding::agent
