// A dispatcher whose disk fills up and stays full: nothing is acknowledged
// that was not stored, recovery backs off instead of looping, one alert is
// stored for the whole episode, and everything arrives once there is room.
// The data directory is a small tmpfs of the test's own (root only: the
// test is skipped, saying so, where it cannot mount one).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "support/cluster.h"
#include "support/process.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

// Fills the file system of `dir` until at most `leave` bytes are free.
void Fill(const std::string& path, size_t leave) {
  struct statvfs fs {};
  ASSERT_EQ(::statvfs(std::filesystem::path(path).parent_path().c_str(), &fs), 0);
  const size_t free_bytes = static_cast<size_t>(fs.f_bavail) * fs.f_frsize;
  if (free_bytes <= leave) return;
  std::ofstream out(path, std::ios::binary);
  const std::string block(4096, 'x');
  for (size_t written = 0; written + block.size() <= free_bytes - leave && out;
       written += block.size()) {
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
}

class Tmpfs {
 public:
  explicit Tmpfs(const std::string& dir) : dir_(dir) {
    std::filesystem::create_directories(dir);
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=4m") == 0;
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  [[nodiscard]] bool mounted() const { return mounted_; }

 private:
  std::string dir_;
  bool mounted_ = false;
};

TEST(StorageFaultsTest, ADiskThatStaysFullIsRecoveredFromWithBackoffAndOneAlert) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("disk-full", options);
  Tmpfs disk(cluster.dir() + "/data/dispatcher");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (not root?)";
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  const auto stored = [&] {
    return Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events");
  };
  const auto queued = [&] {
    return Cluster::QueryInt(cluster.AgentDatabase("mine-3"),
                             "SELECT COUNT(*) FROM outbox WHERE state = 1");
  };
  const auto report = [&](int i) {
    const auto result =
        cluster.Agent("mine-3", {"report", "visit", "--batches", "1", "--persons",
                                 std::to_string(1 + i % 5), "--category", "other", "--no-wait"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  };
  report(0);
  ASSERT_TRUE(WaitFor([&] { return queued() == 0; }, seconds(30)));

  const std::string filler = cluster.dir() + "/data/dispatcher/filler";
  Fill(filler, 0);
  const auto full_at = std::chrono::steady_clock::now();
  for (int i = 1; i <= 120; ++i) report(i);
  ASSERT_TRUE(WaitFor([&] { return Count(cluster.dispatcher()->Stderr(), "STORAGE FAILURE") >= 1; },
                      seconds(30)))
      << cluster.dispatcher()->Stderr();
  // The disk stays full for ten seconds while the agent keeps resending.
  const auto full_since = std::chrono::steady_clock::now();
  ASSERT_FALSE(WaitFor([&] { return !cluster.DispatcherRunning(); }, seconds(10)));
  EXPECT_LT(std::chrono::steady_clock::now() - full_since, seconds(12));
  const std::string log = cluster.dispatcher()->Stderr();
  // Recoveries back off (at once, then 1 s, 2 s, 4 s, ...): about log2 of
  // the seconds the disk has been full (the 120 reports take longer on a
  // loaded machine), not one per resent batch.
  const double full_for =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - full_at).count();
  EXPECT_LE(Count(log, "accepting input again"), 2 + static_cast<size_t>(std::log2(1 + full_for)))
      << "after " << full_for << " s\n"
      << log;
  EXPECT_GE(queued(), 1) << "acknowledged without being stored";

  std::filesystem::remove(filler);
  ASSERT_TRUE(WaitFor([&] { return queued() == 0; }, seconds(90))) << queued() << " queued";
  EXPECT_EQ(stored(), 121);
  const auto alerts = [&] {
    return Cluster::QueryInt(cluster.DispatcherDatabase(),
                             "SELECT COUNT(*) FROM alerts WHERE kind = 'storage_failure'");
  };
  ASSERT_TRUE(WaitFor([&] { return alerts() >= 1; }, seconds(30)));
  EXPECT_EQ(alerts(), 1) << "one alert for the whole episode";
  EXPECT_TRUE(cluster.DispatcherRunning());
  EXPECT_EQ(cluster.StopDispatcher(), 0);
}

}  // namespace
}  // namespace anding::testing
