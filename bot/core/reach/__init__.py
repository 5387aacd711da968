"""The essay beyond the bot: what ``@bot words`` offers in any chat (``sharing``), the author's
channel (``posting``, /post) and the blog's page (``embed``), every way in counted by its
deep link (bot.model.links)."""
