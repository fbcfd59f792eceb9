using System.Net;
using System.Net.Http.Json;
using Register.TestKit;

namespace Register.Providers.Tests;

[Collection(ProvidersCollection.Name)]
public sealed class AddressAndContactTests(ProvidersFixture fixture) : ApiTest<ProvidersFixture>(fixture)
{
    [Theory]
    [InlineData("SW1A 1AA", "SW1A 1AA")]
    [InlineData("sw1a1aa", "SW1A 1AA")]
    [InlineData(" m1 1ae ", "M1 1AE")]
    [InlineData("EC1A1BB", "EC1A 1BB")]
    public async Task Postcodes_are_stored_upper_cased_with_one_space(string postcode, string stored)
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());

        var response = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/addresses",
            new { address_line_1 = "1 Road", town_or_city = "Town", postcode, latitude = 51.501009m, longitude = -0.141588m, uprn = "10033544614" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(stored, data.Text("postcode"));
        Assert.Equal(51.501009m, data.GetProperty("latitude").GetDecimal());
    }

    [Fact]
    public async Task Address_rules_and_messages()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());

        var empty = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/addresses", new { });
        var bad = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/addresses",
            new { address_line_1 = new string('a', 256), town_or_city = "Town", postcode = "NOT A POSTCODE", latitude = 91, uprn = "12ab" });

        Assert.Equal(
            ["address_line_1: Enter address line 1, typically the building and street", "town_or_city: Enter town or city", "postcode: Enter a full UK postcode"],
            await empty.MessagesAsync());
        Assert.Equal(
            ["address_line_1: Address line 1 must be 255 characters or fewer", "postcode: Enter a full UK postcode", "latitude: latitude must be between -90 and 90", "uprn: uprn must be up to 15 digits"],
            await bad.MessagesAsync());
    }

    [Fact]
    public async Task Addresses_are_edited_and_deleted()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Scitt());
        var address = provider.GetProperty("addresses")[0].Id();

        var edited = await support.PatchAsJsonAsync($"/support/providers/{provider.Id()}/addresses/{address}", new { address_line_2 = "Floor 2", postcode = "ls2 7ej" });
        var data = (await edited.BodyAsync()).GetProperty("data");
        Assert.Equal(("Floor 2", "LS2 7EJ", "1 High Street"), (data.Text("address_line_2"), data.Text("postcode"), data.Text("address_line_1")));
        var invalid = await support.PatchAsJsonAsync($"/support/providers/{provider.Id()}/addresses/{address}", new { postcode = "nope" });
        Assert.Equal(["postcode: Enter a full UK postcode"], await invalid.MessagesAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await support.DeleteAsync($"/support/providers/{provider.Id()}/addresses/{address}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.DeleteAsync($"/support/providers/{provider.Id()}/addresses/{address}")).StatusCode);
        var shown = (await (await support.GetAsync($"/support/providers/{provider.Id()}")).BodyAsync()).GetProperty("data");
        Assert.Empty(shown.GetProperty("addresses").EnumerateArray());
    }

    [Fact]
    public async Task A_contact_email_is_used_once_per_provider_even_after_a_delete()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());
        var other = await support.CreateAsync(ProviderRequests.School());
        var contact = new { first_name = "Ada", last_name = "Lovelace", email = "ada@example.com", telephone_number = "01632 960 001" };

        var first = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/contacts", contact);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await Snapshots.MatchJsonAsync(first, "data.id", "data.created_at", "data.updated_at");

        var again = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/contacts", contact with { email = "ADA@example.com" });
        Assert.Equal(["email: Email address is already associated with a user, use a different one"], await again.MessagesAsync());
        Assert.Equal(HttpStatusCode.Created, (await support.PostAsJsonAsync($"/support/providers/{other.Id()}/contacts", contact)).StatusCode);

        await support.DeleteAsync($"/support/providers/{provider.Id()}/contacts/{(await first.BodyAsync()).GetProperty("data").Id()}");
        var afterDelete = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/contacts", contact);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, afterDelete.StatusCode);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("07700 900 982", null, true)]
    [InlineData("+44 808 157 0192", null, true)]
    [InlineData("12345", "telephone_number: Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192", false)]
    [InlineData("phone me", "telephone_number: Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192", false)]
    public async Task The_telephone_number_is_optional_and_a_uk_number(string? telephone, string? message, bool ok)
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());

        var response = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/contacts",
            new { first_name = "Grace", last_name = "Hopper", email = "grace@example.com", telephone_number = telephone });

        Assert.Equal(ok, response.IsSuccessStatusCode);
        if (message is not null)
        {
            Assert.Equal([message], await response.MessagesAsync());
        }
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a..b@example.com")]
    [InlineData("a@b")]
    public async Task Emails_must_be_in_the_correct_format(string email)
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());

        var response = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/contacts", new { first_name = "A", last_name = "B", email });

        Assert.Equal(["email: Enter an email address in the correct format, like name@example.com"], await response.MessagesAsync());
    }

    [Fact]
    public async Task Contacts_are_edited_and_their_changes_logged_for_the_provider()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());
        var created = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/contacts", new { first_name = "A", last_name = "B", email = "ab@example.com" });
        var id = (await created.BodyAsync()).GetProperty("data").Id();

        var edited = await support.PatchAsJsonAsync($"/support/providers/{provider.Id()}/contacts/{id}", new { last_name = "Brown" });

        Assert.Equal("Brown", (await edited.BodyAsync()).GetProperty("data").Text("last_name"));
        var item = (await support.ItemsAsync())[0];
        Assert.Equal(("contact", "updated"), (item.Text("record_type"), item.Text("action")));
        Assert.Equal("""[{"field":"last_name","old_value":"B","new_value":"Brown"}]""", item.GetProperty("changes").GetRawText());
    }
}
