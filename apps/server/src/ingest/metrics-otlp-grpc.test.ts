import { describe, expect, it } from "vitest";
import { grpcPeerHost } from "./metrics-otlp-grpc.js";

describe("grpcPeerHost", () => {
  it("drops the scheme prefix and the port of every form grpc-js reports", () => {
    expect(grpcPeerHost("ipv4:127.0.0.1:50123")).toBe("127.0.0.1");
    expect(grpcPeerHost("127.0.0.1:50123")).toBe("127.0.0.1");
    expect(grpcPeerHost("ipv6:[::1]:50123")).toBe("::1");
    expect(grpcPeerHost("[::ffff:10.0.0.7]:8080")).toBe("10.0.0.7");
    expect(grpcPeerHost("::1")).toBe("::1");
  });
});
