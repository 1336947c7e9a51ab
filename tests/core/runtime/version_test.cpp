#include "runtime/devices.h"
#include "runtime/version.h"
#include "common/error.h"

#include <gtest/gtest.h>

namespace restora {
namespace {

TEST(Version, ReportNamesVersionTorchThreadsAndCpu) {
  const std::string report = version_report("restora");
  EXPECT_NE(report.find("restora " + version()), std::string::npos) << report;
  EXPECT_NE(report.find("LibTorch " + torch_version()), std::string::npos) << report;
  EXPECT_NE(report.find("threads "), std::string::npos) << report;
  EXPECT_NE(report.find("cpu"), std::string::npos) << report;
}

TEST(Devices, CpuIsAlwaysFirst) {
  const auto devices = available_devices();
  ASSERT_FALSE(devices.empty());
  EXPECT_EQ(devices.front().name, "cpu");
}

TEST(Devices, UnknownDeviceNamesAreBadUsage) {
  EXPECT_EQ(normalise_device_name("cpu"), "cpu");
  try {
    normalise_device_name("tpu");
    FAIL() << "tpu accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadUsage);
  }
}

}  // namespace
}  // namespace restora
