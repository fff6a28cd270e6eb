# An echo server with asyncio.Protocol, and the clients that the tutorial
# ran by hand with `nc localhost 8001`.
import asyncio

CLIENTS, SIZE = 3, 1024 * 1024


def show(line):
    if not line:
        return "(empty line)"
    if len(line) <= 60:
        return line.decode(errors="replace")
    return f"{len(line)} bytes: {line[:20].decode(errors='replace')}…"


class EchoProtocol(asyncio.Protocol):
    count = 0

    def connection_made(self, transport):
        EchoProtocol.count += 1
        self.peer = f"client {EchoProtocol.count}"
        self.transport = transport
        self.line = b""
        print(f"connection from {self.peer}")

    def data_received(self, data):
        self.line += data
        while b"\n" in self.line:
            message, self.line = self.line.split(b"\n", 1)
            print(f"received: {show(message)}")
            self.transport.write(message + b"\n")  # the echo the tutorial forgot

    def connection_lost(self, exc):
        if self.line:
            print(f"connection lost: {self.peer}, mid-message ({len(self.line)} bytes dropped)")
        else:
            print(f"connection lost: {self.peer}")


async def main(host, port, listening=None):
    print(f"starting server on port {port}")
    loop = asyncio.get_running_loop()
    server = await loop.create_server(EchoProtocol, host, port)
    if listening:
        listening.set()
    async with server:
        await server.serve_forever()


async def round_trip(reader, writer, n, line):
    writer.write(line)
    back = await reader.readline()
    if back != line:
        print(f"client {n} got back something else!")
    elif len(back) == 1:
        print(f"client {n} got back an empty line")
    elif len(back) <= 61:
        print(f"client {n} got back: {show(back[:-1])}")
    else:
        print(f"client {n} got back {len(back) - 1} bytes, unchanged")


async def connect():
    return await asyncio.open_connection("localhost", 8001, limit=4 * 1024 * 1024)


async def chatty(n, odd_ones_done):
    await asyncio.sleep(0.5 * (n - 1))
    reader, writer = await connect()
    await round_trip(reader, writer, n, f"hello from client {n}\n".encode())
    await odd_ones_done.wait()  # however long the large message took
    await asyncio.sleep(0.5 * n)
    await round_trip(reader, writer, n, f"bye from client {n}\n".encode())
    writer.close()
    await writer.wait_closed()


async def odd_ones(done):
    first = CLIENTS + 1
    await asyncio.sleep(0.5 * CLIENTS)
    reader, writer = await connect()
    await round_trip(reader, writer, first, b"\n")
    writer.close()
    await asyncio.sleep(0.5)
    reader, writer = await connect()
    big = (b"0123456789" * (SIZE // 10 + 1))[:SIZE] + b"\n"
    await round_trip(reader, writer, first + 1, big)
    writer.close()
    await asyncio.sleep(0.5)
    reader, writer = await connect()
    writer.write(b"half a mess")  # and hangs up mid-message
    await writer.drain()
    writer.close()
    done.set()


async def demo():
    listening = asyncio.Event()
    server = asyncio.create_task(main("localhost", 8001, listening))
    await listening.wait()  # a client that came sooner would be refused
    odd_ones_done = asyncio.Event()
    await asyncio.gather(
        *(chatty(n, odd_ones_done) for n in range(1, CLIENTS + 1)), odd_ones(odd_ones_done)
    )
    await asyncio.sleep(0.5)
    server.cancel()  # Ctrl-C, in the tutorial
    print("server stopped")


asyncio.run(demo())
