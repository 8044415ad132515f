"""A bot written with discord.py (a third-party library made for the real Discord),
pointed at the sandbox by changing nothing but the base URL.

It logs in, connects to the gateway, waits for READY and every GUILD_CREATE, prints what it
saw, answers the first message it receives with a message of its own, and exits.
Lines on stdout are the test's protocol: READY, GUILD, MESSAGE, SENT, then DONE.
"""
import asyncio
import os
import sys

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

# The only changes: where Discord's REST API and gateway are.
Route.BASE = os.environ["SANDBOX_API_URL"]
DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["SANDBOX_GATEWAY_URL"])
TOKEN = os.environ["SANDBOX_TOKEN"]


def say(*parts):
    print(*parts, flush=True)


# AutoShardedClient asks GET /gateway/bot for the URL and shard count, as large bots do.
class Probe(discord.AutoShardedClient):
    async def on_ready(self):
        say("READY", self.user.id, len(self.guilds))
        for guild in self.guilds:
            say("GUILD", guild.id, guild.name, len(guild.text_channels))

    async def on_message(self, message):
        if message.author.id == self.user.id:
            return
        say("MESSAGE", message.guild.id, message.channel.id, message.id, message.content)
        sent = await message.channel.send("echo: " + message.content)
        say("SENT", sent.id, sent.channel.id)
        say("DONE")
        await self.close()


async def main():
    intents = discord.Intents.default()
    intents.message_content = True
    client = Probe(intents=intents)
    try:
        await asyncio.wait_for(client.start(TOKEN), timeout=float(os.environ.get("PROBE_TIMEOUT", "60")))
    except asyncio.TimeoutError:
        say("TIMEOUT")
        sys.exit(2)


asyncio.run(main())
