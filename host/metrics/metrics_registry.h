// MetricsRegistry: counters, gauges and histograms with labels, rendered in
// the Prometheus text exposition format (0.0.4). Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ephemera::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  // Declares a family (name, type, help); histograms take bucket bounds.
  void describe(const std::string& name, Type type, const std::string& help,
                std::vector<double> buckets = {});
  void add(const std::string& name, const Labels& labels, double value = 1);
  void set(const std::string& name, const Labels& labels, double value);
  void observe(const std::string& name, const Labels& labels, double value);
  // Drops every series of a gauge family (before re-setting a snapshot).
  void clear(const std::string& name);

  std::string render() const;

 private:
  struct Series {
    double value = 0;                 // counter / gauge
    std::vector<uint64_t> bucket_counts;  // histogram (cumulative at render)
    double sum = 0;
    uint64_t count = 0;
  };
  struct Family {
    Type type = Type::kCounter;
    std::string help;
    std::vector<double> buckets;
    std::map<Labels, Series> series;
  };
  Family& family(const std::string& name);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Latency buckets in seconds, 1 ms .. 60 s.
std::vector<double> latency_buckets();

}  // namespace ephemera::metrics
