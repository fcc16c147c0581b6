// A value or an error message, for every boundary that reads outside input.
// (std::expected is C++23; this is the part of it we need.)
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace leakhunt {

struct Error {
  std::string message;  // "file:line:col: what is wrong", ready to print
};

template <class T>
class Result {
 public:
  Result(T value) : m_v(std::move(value)) {}
  Result(Error error) : m_v(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(m_v); }
  explicit operator bool() const { return ok(); }
  const T& value() const& {
    assert(ok());
    return std::get<T>(m_v);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(m_v);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(m_v));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const {
    assert(!ok());
    return std::get<Error>(m_v);
  }

 private:
  std::variant<T, Error> m_v;
};

}  // namespace leakhunt
