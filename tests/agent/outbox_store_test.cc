#include "anding/agent/outbox_store.h"

#include <gtest/gtest.h>

#include "anding/wire/codec.h"
#include "support/process.h"

namespace anding::agent {
namespace {

v1::Envelope Warning(uint64_t sequence) {
  v1::Envelope e;
  e.set_message_id("01a21c4d-c016-7000-ac3d-3e322ec5" + std::to_string(1000 + sequence));
  e.set_unit_id("mine-3");
  e.set_sequence(sequence);
  e.set_schema_version(1);
  e.mutable_early_warning()->set_summary("s");
  e.mutable_early_warning()->set_category_id("other");
  return e;
}

TEST(OutboxStoreTest, SequencesSurviveReopenAndAreNeverReused) {
  testing::TempDir dir("outbox");
  const std::string path = dir.path() + "/agent.db";
  {
    auto outbox = OutboxStore::Open(path);
    ASSERT_TRUE(outbox.ok());
    EXPECT_EQ((*outbox)->next_sequence(), 1u);
    ASSERT_TRUE((*outbox)->Append({Warning(1), Warning(2), Warning(3)}, FromUnixMicros(1)).ok());
    // Out of order: refused, nothing stored.
    EXPECT_FALSE((*outbox)->Append({Warning(4), Warning(9)}, FromUnixMicros(1)).ok());
    EXPECT_EQ((*outbox)->next_sequence(), 4u);
    ASSERT_TRUE((*outbox)
                    ->Record({{1, v1::Ack(), std::nullopt},
                              {2, std::nullopt, v1::Nack()},
                              {3, v1::Ack(), std::nullopt}},
                             FromUnixMicros(5))
                    .ok());
    // Everything delivered and pruned, except the newest (it pins the sequence).
    ASSERT_TRUE((*outbox)->Prune(FromUnixMicros(100)).ok());
  }
  auto reopened = OutboxStore::Open(path);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->next_sequence(), 4u);
  EXPECT_EQ(*(*reopened)->CountQueued(), 0u);
  auto all = (*reopened)->List(true, 10);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].sequence(), 3u);
}

TEST(OutboxStoreTest, QueuedMessagesComeBackInOrderAfterRestart) {
  testing::TempDir dir("outbox");
  const std::string path = dir.path() + "/agent.db";
  {
    auto outbox = OutboxStore::Open(path);
    ASSERT_TRUE((*outbox)->Append({Warning(1), Warning(2), Warning(3)}, FromUnixMicros(1)).ok());
    ASSERT_TRUE((*outbox)->Record({{2, v1::Ack(), std::nullopt}}, FromUnixMicros(2)).ok());
  }
  auto outbox = OutboxStore::Open(path);
  auto queued = (*outbox)->LoadQueued();
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->size(), 2u);
  EXPECT_EQ((*queued)[0].sequence(), 1u);
  EXPECT_EQ((*queued)[1].sequence(), 3u);
  EXPECT_TRUE(wire::SameContent((*queued)[1], Warning(3)));
  auto entry = (*outbox)->Find(Warning(2).message_id());
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_EQ((*entry)->state(), v1::DELIVERY_STATE_ACKED);
}

TEST(OutboxStoreTest, OrdersAreStoredOnceAndAcknowledged) {
  testing::TempDir dir("outbox");
  auto outbox = OutboxStore::Open(dir.path() + "/agent.db");
  v1::Envelope order;
  order.set_message_id("m1");
  order.set_sequence(1);
  order.mutable_order()->set_order_id("o1");
  order.mutable_order()->set_title("督办");
  EXPECT_TRUE(*(*outbox)->StoreOrder(order, FromUnixMicros(1)));
  EXPECT_FALSE(*(*outbox)->StoreOrder(order, FromUnixMicros(2))) << "a resend is not a new order";
  EXPECT_EQ((*outbox)->ListOrders(false)->size(), 1u);
  ASSERT_TRUE((*outbox)->AcknowledgeOrder("o1", "赵信访员", FromUnixMicros(3)).ok());
  EXPECT_EQ((*outbox)->ListOrders(false)->size(), 0u);
  auto all = (*outbox)->ListOrders(true);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].acknowledged_by(), "赵信访员");
  EXPECT_TRUE(*(*outbox)->HasOrder("o1"));
  EXPECT_FALSE(*(*outbox)->HasOrder("o2"));
}

}  // namespace
}  // namespace anding::agent
