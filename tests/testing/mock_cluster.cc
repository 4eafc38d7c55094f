#include "tests/testing/mock_cluster.h"

#include "daemon/kafka/handles.h"  // rdkafka.h, which rdkafka_mock.h needs first
// clang-format off
#include <librdkafka/rdkafka_mock.h>
// clang-format on

#include <utility>
#include <vector>

namespace newsd::kafka {

struct MockCluster::Impl {
  ClientPtr rk;  // the mock cluster lives inside this client; destroyed after it
  std::unique_ptr<rd_kafka_mock_cluster_t, Deleter<rd_kafka_mock_cluster_destroy>> cluster;
};

MockCluster::MockCluster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MockCluster::~MockCluster() = default;

std::unique_ptr<MockCluster> MockCluster::create(int brokers, std::string& error) {
  auto impl = std::make_unique<Impl>();
  impl->rk = make_client(RD_KAFKA_PRODUCER, ConfPtr(rd_kafka_conf_new()), error);
  if (!impl->rk) return nullptr;
  impl->cluster.reset(rd_kafka_mock_cluster_new(impl->rk.get(), brokers));
  if (!impl->cluster) {
    error = "rd_kafka_mock_cluster_new failed";
    return nullptr;
  }
  return std::unique_ptr<MockCluster>(new MockCluster(std::move(impl)));
}

std::string MockCluster::bootstraps() const { return rd_kafka_mock_cluster_bootstraps(impl_->cluster.get()); }

Status MockCluster::create_topic(const std::string& name, int partitions) {
  rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(impl_->cluster.get(), name.c_str(), partitions, 1);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) return internal_error(rd_kafka_err2str(e));
  return Status::ok();
}

void MockCluster::deny_topic(const std::string& topic, bool on) {
  rd_kafka_mock_topic_set_error(impl_->cluster.get(), topic.c_str(),
                                on ? RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED : RD_KAFKA_RESP_ERR_NO_ERROR);
}

namespace {
// Kafka protocol API keys (not in librdkafka's public headers).
constexpr int16_t kApiProduce = 0;
constexpr int16_t kApiOffsetCommit = 8;
constexpr int16_t kApiAddPartitionsToTxn = 24;

std::pair<int16_t, rd_kafka_resp_err_t> api_and_error(MockCluster::Request request) {
  switch (request) {
    case MockCluster::Request::kAddPartitionsToTxn:
      return {kApiAddPartitionsToTxn, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED};
    case MockCluster::Request::kOffsetCommit:
      return {kApiOffsetCommit, RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE};
    case MockCluster::Request::kProduce:
      return {kApiProduce, RD_KAFKA_RESP_ERR_INVALID_RECORD};
  }
  return {-1, RD_KAFKA_RESP_ERR_NO_ERROR};
}
}  // namespace

void MockCluster::fail_next(Request request, int count) {
  const auto [api, err] = api_and_error(request);
  std::vector<rd_kafka_resp_err_t> errors(static_cast<size_t>(count), err);
  rd_kafka_mock_push_request_errors_array(impl_->cluster.get(), api, errors.size(), errors.data());
}

void MockCluster::clear_failures(Request request) {
  rd_kafka_mock_clear_request_errors(impl_->cluster.get(), api_and_error(request).first);
}

void MockCluster::set_broker_up(int broker_id, bool up) {
  if (up) rd_kafka_mock_broker_set_up(impl_->cluster.get(), broker_id);
  else rd_kafka_mock_broker_set_down(impl_->cluster.get(), broker_id);
}

}  // namespace newsd::kafka
