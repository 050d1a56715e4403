// SPDX-License-Identifier: MIT
// The registry's HTTP transport on libcurl, loaded with dlopen: linking libcurl.so.4 makes the
// loader map and relocate about 30 shared libraries (nghttp2, libssh2, GnuTLS bits, Kerberos,
// LDAP...) at every start of evt, several milliseconds, although most runs never talk to a
// schema registry. Only the few functions below are used.
#define CURL_DISABLE_TYPECHECK 1
#include <mutex>

#include <fmt/format.h>

#include "evt/schema/registry.hpp"

#include <curl/curl.h>
#include <dlfcn.h>

namespace evt::schema {

namespace {

struct CurlApi {
  CURL* (*easy_init)() = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;
  CURLcode (*global_init)(long) = nullptr;
};

Result<const CurlApi*> load_curl() {
  static std::once_flag once;
  static CurlApi api;
  static std::string error;
  std::call_once(once, [] {
    void* library = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char* why = ::dlerror();
      error = why ? why : "dlopen failed";
      return;
    }
    bool all = true;
    const auto bind = [&](auto& slot, const char* name) {
      void* symbol = ::dlsym(library, name);
      all = all && symbol != nullptr;
      slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(symbol);
    };
    bind(api.easy_init, "curl_easy_init");
    bind(api.easy_setopt, "curl_easy_setopt");
    bind(api.easy_perform, "curl_easy_perform");
    bind(api.easy_getinfo, "curl_easy_getinfo");
    bind(api.easy_cleanup, "curl_easy_cleanup");
    bind(api.easy_strerror, "curl_easy_strerror");
    bind(api.slist_append, "curl_slist_append");
    bind(api.slist_free_all, "curl_slist_free_all");
    bind(api.global_init, "curl_global_init");
    if (!all) {
      error = "libcurl.so.4 lacks the curl_easy functions";
      api = CurlApi{};
      return;
    }
    api.global_init(CURL_GLOBAL_DEFAULT);
  });
  if (!api.easy_init) {
    return fail(ErrorKind::unsupported,
                fmt::format("schema registries need libcurl: {}", error),
                "install Debian's libcurl4 package");
  }
  return &api;
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

class CurlTransport final : public HttpTransport {
 public:
  CurlTransport(const CurlApi& api, RegistrySettings settings)
      : m_api(api), m_settings(std::move(settings)), m_display(display_url(m_settings.url)) {
    while (!m_settings.url.empty() && m_settings.url.back() == '/') {
      m_settings.url.pop_back();
    }
  }
  ~CurlTransport() override {
    if (m_handle) {
      m_api.easy_cleanup(m_handle);
    }
    if (m_headers) {
      m_api.slist_free_all(m_headers);
    }
  }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> get(const std::string& path) override {
    if (!m_handle) {
      EVT_TRY(open());
    }
    HttpResponse response;
    const std::string url = m_settings.url + path;
    m_api.easy_setopt(m_handle, CURLOPT_URL, url.c_str());
    m_api.easy_setopt(m_handle, CURLOPT_WRITEDATA, &response.body);
    m_error[0] = '\0';
    const CURLcode code = m_api.easy_perform(m_handle);
    if (code != CURLE_OK) {
      const std::string why = m_error[0] ? m_error : m_api.easy_strerror(code);
      return fail(ErrorKind::unreachable,
                  fmt::format("schema registry {} is unreachable: {}", m_display, why),
                  "check the schema-registry url (--schema-registry, EVT_SCHEMA_REGISTRY or "
                  "the context's schema-registry.url)");
    }
    m_api.easy_getinfo(m_handle, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }

 private:
  Result<void> open() {
    m_handle = m_api.easy_init();
    if (!m_handle) {
      return fail(ErrorKind::internal, "curl_easy_init failed");
    }
    const auto timeout = static_cast<long>(m_settings.timeout.count());
    m_api.easy_setopt(m_handle, CURLOPT_ERRORBUFFER, m_error);
    m_api.easy_setopt(m_handle, CURLOPT_NOSIGNAL, 1L);
    m_api.easy_setopt(m_handle, CURLOPT_TIMEOUT_MS, timeout);
    m_api.easy_setopt(m_handle, CURLOPT_CONNECTTIMEOUT_MS, timeout);
    m_api.easy_setopt(m_handle, CURLOPT_WRITEFUNCTION, &collect);
    m_api.easy_setopt(m_handle, CURLOPT_PROTOCOLS_STR, "http,https");
    m_api.easy_setopt(m_handle, CURLOPT_USERAGENT, "evt/" EVT_VERSION);
    m_api.easy_setopt(m_handle, CURLOPT_ACCEPT_ENCODING, "");
    m_headers = m_api.slist_append(
        nullptr, "Accept: application/vnd.schemaregistry.v1+json, application/json");
    m_api.easy_setopt(m_handle, CURLOPT_HTTPHEADER, m_headers);
    if (m_settings.username) {
      m_api.easy_setopt(m_handle, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
      m_api.easy_setopt(m_handle, CURLOPT_USERNAME, m_settings.username->c_str());
      m_api.easy_setopt(
          m_handle, CURLOPT_PASSWORD, m_settings.password ? m_settings.password->c_str() : "");
    }
    if (m_settings.ca_file) {
      m_api.easy_setopt(m_handle, CURLOPT_CAINFO, m_settings.ca_file->c_str());
    }
    if (m_settings.cert_file) {
      m_api.easy_setopt(m_handle, CURLOPT_SSLCERT, m_settings.cert_file->c_str());
    }
    if (m_settings.key_file) {
      m_api.easy_setopt(m_handle, CURLOPT_SSLKEY, m_settings.key_file->c_str());
    }
    return {};
  }

  const CurlApi& m_api;
  RegistrySettings m_settings;
  std::string m_display;
  CURL* m_handle = nullptr;
  curl_slist* m_headers = nullptr;
  char m_error[CURL_ERROR_SIZE] = {};
};

}  // namespace

Result<std::unique_ptr<HttpTransport>> make_curl_transport(const RegistrySettings& settings) {
  if (settings.url.rfind("http://", 0) != 0 && settings.url.rfind("https://", 0) != 0) {
    return fail(ErrorKind::usage,
                fmt::format("schema registry URL \"{}\" must start with http:// or https://",
                            display_url(settings.url)));
  }
  auto api = load_curl();
  if (!api) {
    return std::move(api).take_error();
  }
  return std::unique_ptr<HttpTransport>(std::make_unique<CurlTransport>(**api, settings));
}

}  // namespace evt::schema
