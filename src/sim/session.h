// One serve-sim connection: HTTP/1.1 keep-alive, requests read with Boost.Beast, replies written
// as raw bytes so that every family's framing is exact.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "sim/server_state.h"

namespace servebench::sim {

boost::asio::awaitable<void> ServeConnection(boost::asio::ip::tcp::socket socket,
                                             ServerState& state);

}  // namespace servebench::sim
