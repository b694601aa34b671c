// RAII owners for libcurl handles. Private: only src/adapters/http/ includes
// it, so librelkit's public headers never see <curl/curl.h>.

#ifndef RELKIT_SRC_ADAPTERS_HTTP_CURL_RAII_H_
#define RELKIT_SRC_ADAPTERS_HTTP_CURL_RAII_H_

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <string>

namespace relkit::internal {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const {
    if (handle != nullptr) curl_easy_cleanup(handle);
  }
};
using CurlEasyPtr = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const {
    if (list != nullptr) curl_slist_free_all(list);
  }
};
using CurlSlistPtr = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// Initialises libcurl once per process (curl_global_init is not thread-safe
// on its own; every handle is created after this returns). Returns the
// result of the one curl_global_init call.
inline CURLcode EnsureCurlGlobalInit() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

// Appends `line` ("Name: value") to `list`; returns false when curl could not
// allocate (the list is unchanged then).
inline bool AppendHeader(CurlSlistPtr& list, const char* line) {
  curl_slist* next = curl_slist_append(list.get(), line);
  if (next == nullptr) return false;
  list.release();  // owned by `next` now (same head or a new one)
  list.reset(next);
  return true;
}

// The list for CURLOPT_NOPROXY (which replaces libcurl's reading of the
// environment): $no_proxy (else $NO_PROXY), then `extra` when not empty,
// then loopback, which is never proxied. Every libcurl handle of relkit
// sets it, so all of them honour the same list.
std::string CurlNoProxyList(const std::string& extra);

}  // namespace relkit::internal

#endif  // RELKIT_SRC_ADAPTERS_HTTP_CURL_RAII_H_
