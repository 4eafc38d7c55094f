#include "daemon/kafka/mock_cluster.h"

#include "daemon/kafka/handles.h"  // rdkafka.h, which rdkafka_mock.h needs first
// clang-format off
#include <librdkafka/rdkafka_mock.h>
// clang-format on

namespace newsd::kafka {

struct MockCluster::Impl {
  ClientPtr rk;  // the mock cluster lives inside this client; destroyed after it
  std::unique_ptr<rd_kafka_mock_cluster_t, Deleter<rd_kafka_mock_cluster_destroy>> cluster;
};

MockCluster::MockCluster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MockCluster::~MockCluster() = default;

std::unique_ptr<MockCluster> MockCluster::create(int brokers, std::string& error) {
  auto impl = std::make_unique<Impl>();
  ConfPtr conf(rd_kafka_conf_new());
  char err[512];
  impl->rk.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), err, sizeof err));
  if (!impl->rk) {
    error = err;
    return nullptr;
  }
  (void)conf.release();
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

}  // namespace newsd::kafka
