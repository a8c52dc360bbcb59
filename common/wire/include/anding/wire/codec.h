// The edge between bytes on the wire and checked protobuf messages, in
// three parts; include the one you need:
//
//   anding/wire/encoding.h    framing, decoding, encoding, timestamps
//   anding/wire/validation.h  the range checks on envelopes, payloads and
//                             operator requests
//   anding/wire/summaries.h   a payload's kind and a one-line summary
//
// This header includes all three.
#pragma once

#include "anding/wire/encoding.h"
#include "anding/wire/summaries.h"
#include "anding/wire/validation.h"
