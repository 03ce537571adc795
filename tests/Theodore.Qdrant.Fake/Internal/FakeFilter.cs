using Qdrant.Client.Grpc;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>
/// Qdrant's filter semantics (lib/segment/src/payload_storage/condition_checker.rs, query_checker.rs): every must,
/// no must_not, at least one should when there are any, min_should; a field condition holds if any value at its path
/// matches, and never on a missing field. A <c>Match</c> with no case set (e.g. a 1.20-only field this v1.19 server does
/// not know) is INVALID_ARGUMENT "Malformed Match condition", as the server's conversion answers.
/// </summary>
internal static class FakeFilter
{
    public static void Validate(Filter? filter)
    {
        if (filter is null)
        {
            return;
        }

        foreach (var condition in filter.Must.Concat(filter.Should).Concat(filter.MustNot).Concat(filter.MinShould?.Conditions ?? []))
        {
            Validate(condition);
        }
    }

    public static bool Matches(Filter? filter, PointKey id, IReadOnlyDictionary<string, Value> payload)
    {
        if (filter is null)
        {
            return true;
        }

        foreach (var condition in filter.Must)
        {
            if (!Matches(condition, id, payload))
            {
                return false;
            }
        }

        foreach (var condition in filter.MustNot)
        {
            if (Matches(condition, id, payload))
            {
                return false;
            }
        }

        if (filter.Should.Count > 0 && !filter.Should.Any(c => Matches(c, id, payload)))
        {
            return false;
        }

        if (filter.MinShould is { } minShould)
        {
            var count = minShould.Conditions.Count(c => Matches(c, id, payload));
            if ((ulong)count < minShould.MinCount)
            {
                return false;
            }
        }

        return true;
    }

    private static void Validate(Condition condition)
    {
        switch (condition.ConditionOneOfCase)
        {
            case Condition.ConditionOneOfOneofCase.Field:
                PayloadPath.Parse(condition.Field.Key);
                var field = condition.Field;
                if (field.Match is { MatchValueCase: Match.MatchValueOneofCase.None })
                {
                    throw FakeErrors.Invalid("Malformed Match condition");
                }

                if (field.Match is null && field.Range is null && !field.HasIsEmpty && !field.HasIsNull && field.GeoBoundingBox is null && field.GeoRadius is null && field.GeoPolygon is null && field.ValuesCount is null && field.DatetimeRange is null)
                {
                    throw FakeErrors.Validation("At least one field condition must be specified");
                }

                if (field.GeoBoundingBox is not null || field.GeoRadius is not null || field.GeoPolygon is not null || field.ValuesCount is not null || field.DatetimeRange is not null)
                {
                    throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unimplemented, "the fake does not implement geo, values_count or datetime conditions"));
                }

                break;
            case Condition.ConditionOneOfOneofCase.IsEmpty:
                PayloadPath.Parse(condition.IsEmpty.Key);
                break;
            case Condition.ConditionOneOfOneofCase.IsNull:
                PayloadPath.Parse(condition.IsNull.Key);
                break;
            case Condition.ConditionOneOfOneofCase.HasId:
                foreach (var id in condition.HasId.HasId)
                {
                    PointKey.Parse(id);
                }

                break;
            case Condition.ConditionOneOfOneofCase.Filter:
                Validate(condition.Filter);
                break;
            case Condition.ConditionOneOfOneofCase.None:
                throw FakeErrors.Invalid("Malformed Condition: no condition set");
            default:
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unimplemented, $"the fake does not implement {condition.ConditionOneOfCase} conditions"));
        }
    }

    private static bool Matches(Condition condition, PointKey id, IReadOnlyDictionary<string, Value> payload) => condition.ConditionOneOfCase switch
    {
        Condition.ConditionOneOfOneofCase.Field => Matches(condition.Field, payload),
        Condition.ConditionOneOfOneofCase.IsEmpty => PayloadPath.Parse(condition.IsEmpty.Key).IsEmpty(payload),
        Condition.ConditionOneOfOneofCase.IsNull => PayloadPath.Parse(condition.IsNull.Key).Resolve(payload).Any(v => v.KindCase == Value.KindOneofCase.NullValue),
        Condition.ConditionOneOfOneofCase.HasId => condition.HasId.HasId.Any(h => PointKey.Parse(h).Equals(id)),
        Condition.ConditionOneOfOneofCase.Filter => Matches(condition.Filter, id, payload),
        _ => false,
    };

    private static bool Matches(FieldCondition field, IReadOnlyDictionary<string, Value> payload)
    {
        var path = PayloadPath.Parse(field.Key);
        if (field.HasIsEmpty)
        {
            return path.IsEmpty(payload) == field.IsEmpty;
        }

        if (field.HasIsNull)
        {
            return path.Resolve(payload).Any(v => v.KindCase == Value.KindOneofCase.NullValue) == field.IsNull;
        }

        var values = path.Resolve(payload);
        if (values.Count == 0)
        {
            return false;
        }

        if (field.Match is { } match && !values.Any(v => Matches(match, v)))
        {
            return false;
        }

        return field.Range is not { } range || values.Any(v => InRange(range, v));
    }

    private static bool Matches(Match match, Value value) => match.MatchValueCase switch
    {
        Match.MatchValueOneofCase.Keyword => IsString(value) && string.Equals(value.StringValue, match.Keyword, StringComparison.Ordinal),
        Match.MatchValueOneofCase.Integer => value.KindCase == Value.KindOneofCase.IntegerValue && value.IntegerValue == match.Integer,
        Match.MatchValueOneofCase.Boolean => value.KindCase == Value.KindOneofCase.BoolValue && value.BoolValue == match.Boolean,
        Match.MatchValueOneofCase.Text or Match.MatchValueOneofCase.Phrase => IsString(value) && value.StringValue.Contains(match.MatchValueCase == Match.MatchValueOneofCase.Text ? match.Text : match.Phrase, StringComparison.Ordinal),
        Match.MatchValueOneofCase.TextAny => IsString(value) && match.TextAny.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Any(t => value.StringValue.Contains(t, StringComparison.Ordinal)),
        Match.MatchValueOneofCase.Prefix => IsString(value) && value.StringValue.StartsWith(match.Prefix, StringComparison.Ordinal),
        Match.MatchValueOneofCase.Keywords => IsString(value) && match.Keywords.Strings.Contains(value.StringValue, StringComparer.Ordinal),
        Match.MatchValueOneofCase.Integers => value.KindCase == Value.KindOneofCase.IntegerValue && match.Integers.Integers.Contains(value.IntegerValue),
        Match.MatchValueOneofCase.ExceptKeywords => !IsString(value) || !match.ExceptKeywords.Strings.Contains(value.StringValue, StringComparer.Ordinal),
        Match.MatchValueOneofCase.ExceptIntegers => value.KindCase != Value.KindOneofCase.IntegerValue || !match.ExceptIntegers.Integers.Contains(value.IntegerValue),
        _ => false,
    };

    private static bool IsString(Value value) => value.KindCase == Value.KindOneofCase.StringValue;

    private static bool InRange(global::Qdrant.Client.Grpc.Range range, Value value)
    {
        double number;
        if (value.KindCase == Value.KindOneofCase.IntegerValue)
        {
            number = value.IntegerValue;
        }
        else if (value.KindCase == Value.KindOneofCase.DoubleValue)
        {
            number = value.DoubleValue;
        }
        else
        {
            return false;
        }

        return (!range.HasLt || number < range.Lt)
            && (!range.HasGt || number > range.Gt)
            && (!range.HasGte || number >= range.Gte)
            && (!range.HasLte || number <= range.Lte);
    }
}
